package dev.nightjar.acquirer;

import dev.nightjar.acquirer.NetworkEntry.Acted;
import dev.nightjar.acquirer.NetworkEntry.Cleared;
import dev.nightjar.acquirer.NetworkEntry.Held;
import dev.nightjar.acquirer.NetworkEntry.Imported;
import dev.nightjar.acquirer.NetworkEntry.Kept;
import dev.nightjar.acquirer.NetworkEntry.Taken;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the network remembers, bounded: its records by reference (oldest dropped first past
 * {@code maxRecords}), the authorizations' holds (as many), what settlement may still take, and the
 * settlement batches it cleared with their reports (at most {@value #MAX_BATCHES}, and as many lines as
 * records). A record past the bound that still owes settlement (an approved capture, sale or refund no batch
 * has taken) is not forgotten but kept aside until a batch takes it, at most {@code maxRecords} of them: a
 * network does not forget a charge it has not settled, and reconciliation would call it missing. Changed only
 * by {@link #apply}, one {@link NetworkEntry} at a time, so the journal's entries replayed in order rebuild it
 * exactly. Not thread-safe: the network's lock guards it.
 */
final class NetworkState {

    private static final Logger log = LoggerFactory.getLogger(NetworkState.class);

    static final int MAX_BATCHES = 1_000;
    /** References per {@link Taken} line of a snapshot. */
    static final int TAKEN_PER_ENTRY = 10_000;

    private final SettlementIndex settleable = new SettlementIndex();
    private final Map<String, NetworkRecord> byReference;
    /** Records past the bound that settlement has not taken yet, oldest first; older than all of {@link #byReference}. */
    private final Map<String, NetworkRecord> unsettled;
    /** By the authorization's network reference, which captures, voids and refunds name. */
    private final Map<String, Hold> holds;
    /** Oldest first; bounded by {@link #evictBatches}. */
    private final Map<String, Cleared> batches = new LinkedHashMap<>();
    private final int maxRecords;
    private long batchLines;
    private long unsettledForgotten;

    NetworkState(int maxRecords) {
        this.maxRecords = maxRecords;
        this.byReference = bounded(maxRecords, this::pastTheBound);
        this.unsettled = bounded(maxRecords, this::forgetUnsettled);
        this.holds = bounded(maxRecords, evicted -> { });
    }

    private void pastTheBound(NetworkRecord record) {
        if (settleable.owes(record)) {
            unsettled.put(record.reference(), record);
        } else {
            settleable.forget(record);
        }
    }

    /** Even the records set aside are bounded: past twice the bound, the oldest unsettled one is forgotten, and said so. */
    private void forgetUnsettled(NetworkRecord record) {
        settleable.forget(record);
        unsettledForgotten++;
        if (unsettledForgotten == 1 || unsettledForgotten % 10_000 == 0) {
            log.warn("{} unsettled records forgotten past twice the record bound of {}: settlement will call them "
                    + "missing_at_acquirer (the latest {}); run the cut-off more often or raise "
                    + "nightjar.acquirer.max-records", unsettledForgotten, maxRecords, record.reference());
        }
    }

    /** Settlement took a record: a record kept aside only for that is forgotten now. */
    private void take(String reference) {
        settleable.take(reference);
        NetworkRecord setAside = unsettled.remove(reference);
        if (setAside != null) {
            settleable.forget(setAside);
        }
    }

    private static <V> Map<String, V> bounded(int max, Consumer<V> onEvict) {
        return new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                boolean evict = size() > max;
                if (evict) {
                    onEvict.accept(eldest.getValue());
                }
                return evict;
            }
        };
    }

    void apply(NetworkEntry entry) {
        switch (entry) {
            case Acted acted -> {
                keep(acted.record());
                actOnHold(acted.record());
            }
            case Imported imported -> keep(imported.record());
            case Kept kept -> keep(sharedWithItsHold(kept.record()));
            case Held held -> holds.put(held.authorization().networkReference(),
                    new Hold(held.authorization(), held.capturedMinor(), held.refundedMinor(), held.voided()));
            case Cleared cleared -> {
                cleared.taken().forEach(this::take);
                // what the batch took lives on in the settlement index; the batch keeps its answers only
                batches.put(cleared.receipt().batchId(), new Cleared(cleared.receipt(), cleared.report(), List.of()));
                batchLines += cleared.report().lines().size();
                evictBatches();
            }
            case Taken taken -> taken.references().forEach(this::take);
        }
    }

    /**
     * Forgets the oldest batches past {@value #MAX_BATCHES}, or past as many report lines as records kept (a
     * line stands for a record); the newest stays whatever its size. A batch's report is fetched right after
     * it is cleared: an old one is kept only to answer a late resubmission the same.
     */
    private void evictBatches() {
        var oldest = batches.values().iterator();
        while (batches.size() > 1 && (batches.size() > MAX_BATCHES || batchLines > maxRecords)) {
            batchLines -= oldest.next().report().lines().size();
            oldest.remove();
        }
    }

    /** An authorization a snapshot holds twice (as a record and in its hold) is kept once in memory. */
    private NetworkRecord sharedWithItsHold(NetworkRecord record) {
        Hold hold = holds.get(record.networkReference());
        return hold != null && hold.authorization().equals(record) ? hold.authorization() : record;
    }

    private void keep(NetworkRecord record) {
        if (unsettled.containsKey(record.reference()) || byReference.putIfAbsent(record.reference(), record) != null) {
            throw new IllegalStateException("reference " + record.reference() + " recorded twice");
        }
        settleable.add(record);
    }

    /** What an answered request did to its authorization's hold: an authorization makes one; an approved operation moves it. */
    private void actOnHold(NetworkRecord record) {
        String operation = record.operation();
        if (SimulatedNetwork.AUTHORIZATION.equals(operation) || SimulatedNetwork.SALE.equals(operation)) {
            holds.put(record.networkReference(), Hold.of(record));
            return;
        }
        if (record.outcome() != SimulatedNetwork.APPROVED) {
            return;
        }
        Hold hold = holds.get(record.authorization());
        if (hold == null) {
            // approved under the lock a moment ago, or in the same order at replay: the hold must be there
            throw new IllegalStateException(operation + " " + record.reference() + " approved on "
                    + record.authorization() + ", which holds nothing");
        }
        holds.put(record.authorization(), switch (operation) {
            case SimulatedNetwork.CAPTURE -> hold.afterCapture(record.amountMinor());
            case SimulatedNetwork.REFUND -> hold.afterRefund(record.amountMinor());
            case SimulatedNetwork.VOID -> hold.afterVoid();
            default -> throw new IllegalStateException("unknown operation " + operation);
        });
    }

    NetworkRecord record(String reference) {
        NetworkRecord record = byReference.get(reference);
        return record != null ? record : unsettled.get(reference);
    }

    Hold hold(String authorization) {
        return authorization == null ? null : holds.get(authorization);
    }

    Cleared batch(String batchId) {
        return batches.get(batchId);
    }

    /** Every record kept, oldest first. */
    Iterable<NetworkRecord> records() {
        return () -> kept().iterator();
    }

    /** The records set aside, which are the oldest, then the rest. */
    private Stream<NetworkRecord> kept() {
        return Stream.concat(unsettled.values().stream(), byReference.values().stream());
    }

    NetworkRecord settlementRecord(SettlementBatchLine line, String currency, Set<String> takenInThisBatch) {
        return settleable.find(line, currency, takenInThisBatch);
    }

    /**
     * The state as entries that rebuild it, from copies taken now (cheap: the records and holds are
     * immutable), so they can be written out while the state goes on changing.
     */
    Iterable<NetworkEntry> snapshot() {
        List<Hold> heldNow = List.copyOf(holds.values());
        // the records set aside first, as they are the oldest: replayed, they pass the bound again and are set aside again
        List<NetworkRecord> recordsNow = kept().toList();
        List<String> takenNow = settleable.taken();
        List<Cleared> batchesNow = List.copyOf(batches.values());
        return () -> Stream.of(
                        heldNow.stream().<NetworkEntry>map(hold -> new Held(hold.authorization(), hold.capturedMinor(),
                                hold.refundedMinor(), hold.voided())),
                        recordsNow.stream().<NetworkEntry>map(Kept::new),
                        IntStream.range(0, (takenNow.size() + TAKEN_PER_ENTRY - 1) / TAKEN_PER_ENTRY)
                                .<NetworkEntry>mapToObj(i -> new Taken(takenNow.subList(i * TAKEN_PER_ENTRY,
                                        Math.min(takenNow.size(), (i + 1) * TAKEN_PER_ENTRY)))),
                        batchesNow.stream().map(NetworkEntry.class::cast))
                .flatMap(entries -> entries)
                .iterator();
    }

    /** Counts, for logs and tests. */
    record Size(int records, int unsettledPastTheBound, int holds, int batches, int taken) {
    }

    Size size() {
        return new Size(byReference.size(), unsettled.size(), holds.size(), batches.size(), settleable.takenCount());
    }

    /** Every record matching, oldest first, at most {@code limit}. */
    List<NetworkRecord> records(String reference, String merchantId, int limit) {
        List<NetworkRecord> matching = new ArrayList<>();
        if (reference != null) {
            NetworkRecord record = record(reference);
            if (record != null && (merchantId == null || merchantId.equals(record.merchantId()))) {
                matching.add(record);
            }
            return matching;
        }
        for (NetworkRecord record : records()) {
            if (merchantId == null || merchantId.equals(record.merchantId())) {
                matching.add(record);
                if (matching.size() >= limit) {
                    break;
                }
            }
        }
        return matching;
    }
}
