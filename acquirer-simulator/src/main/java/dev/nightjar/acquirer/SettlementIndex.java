package dev.nightjar.acquirer;

import dev.nightjar.common.contract.AcquirerProtocol;
import dev.nightjar.common.contract.AcquirerProtocol.SettlementBatchLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The network's approved captures, sales and refunds by the authorization they settle under (a sale is its
 * own authorization), and which of them settlement lines have already taken: a line finds its record in
 * constant time, so a batch of any size clears in one pass. Not thread-safe: used under the network's lock.
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
     * The untaken record of {@code line}'s authorization, currency and direction, one of the line's amount
     * if there is one, else the first; taken from now on. Null when there is none.
     */
    NetworkRecord take(SettlementBatchLine line, String currency) {
        List<NetworkRecord> candidates = line.authorization() == null ? null : byAuthorization.get(line.authorization());
        if (candidates == null) {
            return null;
        }
        NetworkRecord chosen = null;
        for (NetworkRecord record : candidates) {
            if (taken.contains(record.reference()) || !currency.equals(record.currency())
                    || !directionOf(record).equals(line.operation())) {
                continue;
            }
            if (record.amountMinor() == line.amountMinor()) {
                chosen = record;
                break;
            }
            if (chosen == null) {
                chosen = record;
            }
        }
        if (chosen != null) {
            taken.add(chosen.reference());
        }
        return chosen;
    }

    /** The authorization a record settles under, or null when it moved no money. */
    private static String authorizationOf(NetworkRecord record) {
        if (!"approved".equals(record.outcome())) {
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
