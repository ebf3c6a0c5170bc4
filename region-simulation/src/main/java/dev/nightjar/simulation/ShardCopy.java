package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One region's copy of one shard: the primary that takes the shard's writes, or the standby cluster in the other
 * region that replays the primary's WAL. It holds the WAL (its records, in commit order), the state they build
 * (payments by Idempotency-Key and by acquirer reference, payments still waiting for the acquirer, reconciliations
 * begun and not yet done) and the shard's ledger, a {@link HashChain}. Its epoch is the ownership epoch of the timeline it follows; its forks say where
 * each epoch began, as PostgreSQL's timeline history does, so a former primary knows where to rewind to.
 *
 * <p>Abstracts away: tables, indexes and partitions; pg_rewind (a truncation of the WAL list here); WAL archiving.
 */
final class ShardCopy {

    enum Role { PRIMARY, STANDBY }

    /** Epoch {@code epoch} began at WAL index {@code index}. */
    record Fork(int epoch, int index) {
    }

    final String shard;
    Role role;
    int epoch = 1;
    List<Fork> forks = List.of(new Fork(1, 0));
    /** A promoted copy takes writes from this moment: promoting a standby cluster takes a few seconds. */
    long writableFromMillis;
    /** False once a replica has (wrongly) stopped checking that what it receives follows its chain. */
    boolean verifiesLinks = true;

    private final List<WalRecord> log = new ArrayList<>();
    private HashChain chain = new HashChain();
    private final Map<String, WalRecord.PaymentRecorded> paymentsByKey = new HashMap<>();
    private final Map<String, WalRecord.PaymentRecorded> paymentsByReference = new HashMap<>();
    private final Map<String, WalRecord.PaymentRecorded> paymentsById = new HashMap<>();
    private final Map<String, WalRecord.IntentRecorded> intentsByKey = new HashMap<>();
    private final Map<String, WalRecord.IntentRecorded> waitingForAcquirer = new LinkedHashMap<>();
    private final Map<Integer, Long> reconciliationOwed = new HashMap<>();

    ShardCopy(String shard, Role role) {
        this.shard = shard;
        this.role = role;
    }

    static String keyId(String merchant, String key) {
        return merchant + "|" + key;
    }

    /** A primary's own commit. */
    void append(WalRecord record) {
        if (!apply(record, true)) {
            throw new IllegalStateException("a primary's own record does not follow its chain: " + record);
        }
        log.add(record);
    }

    /** A record streamed from the primary; false (and nothing applied) when its entry does not follow this chain. */
    boolean applyReplicated(WalRecord record) {
        if (!apply(record, verifiesLinks)) {
            return false;
        }
        log.add(record);
        return true;
    }

    /** A broken replica's way of taking a record: it counts it and indexes it, but its entry never reaches the chain. */
    void applyDroppingEntry(WalRecord.PaymentRecorded record) {
        index(record);
        log.add(record);
    }

    /** Keeps the first {@code size} records and rebuilds the state from them: a rewind to a fork point. */
    void truncate(int size) {
        List<WalRecord> kept = new ArrayList<>(log.subList(0, size));
        log.clear();
        chain = new HashChain();
        paymentsByKey.clear();
        paymentsByReference.clear();
        paymentsById.clear();
        intentsByKey.clear();
        waitingForAcquirer.clear();
        reconciliationOwed.clear();
        for (WalRecord record : kept) {
            apply(record, false);
            log.add(record);
        }
    }

    private boolean apply(WalRecord record, boolean verify) {
        switch (record) {
            case WalRecord.IntentRecorded intent -> {
                intentsByKey.put(keyId(intent.merchant(), intent.key()), intent);
                if (!paymentsByReference.containsKey(intent.reference())) {
                    waitingForAcquirer.put(intent.reference(), intent);
                }
            }
            case WalRecord.PaymentRecorded payment -> {
                if (!chain.append(payment.entry(), verify)) {
                    return false;
                }
                index(payment);
            }
            case WalRecord.EpochStarted started -> {
                if (!chain.append(started.entry(), verify)) {
                    return false;
                }
                reconciliationOwed.put(started.epoch(), started.reconcileFromMillis());
            }
            // A reconciliation runs from the earliest moment owed, so it settles every earlier epoch's debt too.
            case WalRecord.Reconciled reconciled -> reconciliationOwed.keySet().removeIf(epoch -> epoch <= reconciled.epoch());
        }
        return true;
    }

    private void index(WalRecord.PaymentRecorded payment) {
        paymentsByKey.put(keyId(payment.merchant(), payment.key()), payment);
        paymentsByReference.put(payment.reference(), payment);
        paymentsById.put(payment.paymentId(), payment);
        waitingForAcquirer.remove(payment.reference());
    }

    int size() {
        return log.size();
    }

    List<WalRecord> records(int from, int to) {
        return List.copyOf(log.subList(from, to));
    }

    /** The commit time of the last record this copy holds, 0 when it holds none: what a standby has replayed. */
    long lastRecordAtMillis() {
        return log.isEmpty() ? 0 : log.getLast().atMillis();
    }

    /** The earliest moment a reconciliation written in this timeline still owes, or {@code Long.MAX_VALUE}. */
    long reconciliationOwedSinceMillis() {
        return reconciliationOwed.values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
    }

    HashChain chain() {
        return chain;
    }

    WalRecord.PaymentRecorded paymentByKey(String keyId) {
        return paymentsByKey.get(keyId);
    }

    WalRecord.PaymentRecorded paymentByReference(String reference) {
        return paymentsByReference.get(reference);
    }

    boolean hasPayment(String paymentId) {
        return paymentsById.containsKey(paymentId);
    }

    WalRecord.IntentRecorded intentByKey(String keyId) {
        return intentsByKey.get(keyId);
    }

    /** Payments whose intent is recorded and whose charge is not, oldest first. */
    Collection<WalRecord.IntentRecorded> waitingForAcquirer() {
        return Collections.unmodifiableCollection(waitingForAcquirer.values());
    }
}
