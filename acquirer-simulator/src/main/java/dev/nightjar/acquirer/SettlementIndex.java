package dev.nightjar.acquirer;

import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network's approved captures, sales and refunds by the authorization they settle under (a sale is its
 * own authorization), and which of them settlement lines have already taken: a line finds its record in
 * constant time, so a batch of any size clears in one pass. Not thread-safe: part of {@link NetworkState}.
 */
final class SettlementIndex {

    private final Map<String, List<NetworkRecord>> byAuthorization = new HashMap<>();
    private final Set<String> taken = new HashSet<>();

    void add(NetworkRecord record) {
        String key = authorizationOf(record);
        if (key != null) {
            byAuthorization.computeIfAbsent(key, k -> new ArrayList<>(1)).add(record);
        }
    }

    /** Whether {@code record} moves money that no settlement line has taken yet. */
    boolean owes(NetworkRecord record) {
        return authorizationOf(record) != null && !taken.contains(record.reference());
    }

    /** Drops a record the network no longer keeps. */
    void forget(NetworkRecord record) {
        String key = authorizationOf(record);
        List<NetworkRecord> records = key == null ? null : byAuthorization.get(key);
        if (records != null) {
            records.remove(record);
            if (records.isEmpty()) {
                byAuthorization.remove(key);
            }
        }
        taken.remove(record.reference());
    }

    /**
     * The record {@code line} would take: untaken (by earlier batches or by {@code takenInThisBatch}), of the
     * line's authorization, currency and direction, one of the line's amount if there is one, else the first.
     * Null when there is none. Takes nothing: {@link #take} does, once the choice is journaled.
     */
    NetworkRecord find(SettlementBatchLine line, String currency, Set<String> takenInThisBatch) {
        List<NetworkRecord> candidates = line.authorization() == null ? null : byAuthorization.get(line.authorization());
        if (candidates == null) {
            return null;
        }
        NetworkRecord chosen = null;
        for (NetworkRecord record : candidates) {
            if (taken.contains(record.reference()) || takenInThisBatch.contains(record.reference())
                    || !currency.equals(record.currency()) || !directionOf(record).equals(line.operation())) {
                continue;
            }
            if (record.amountMinor() == line.amountMinor()) {
                return record;
            }
            if (chosen == null) {
                chosen = record;
            }
        }
        return chosen;
    }

    /** Marks a record settled: no line of any batch takes it again. */
    void take(String reference) {
        taken.add(reference);
    }

    int takenCount() {
        return taken.size();
    }

    /** The references of the records settlement lines have taken, as a copy. */
    List<String> taken() {
        return List.copyOf(taken);
    }

    /** The authorization a record settles under, or null when it moved no money. */
    private static String authorizationOf(NetworkRecord record) {
        if (record.outcome() != SimulatedNetwork.APPROVED) {
            return null;
        }
        return switch (record.operation()) {
            case SimulatedNetwork.SALE -> record.networkReference();
            case SimulatedNetwork.CAPTURE, SimulatedNetwork.REFUND -> record.authorization();
            default -> null;
        };
    }

    private static String directionOf(NetworkRecord record) {
        return SimulatedNetwork.REFUND.equals(record.operation()) ? AcquirerProtocol.REFUND : AcquirerProtocol.CAPTURE;
    }
}
