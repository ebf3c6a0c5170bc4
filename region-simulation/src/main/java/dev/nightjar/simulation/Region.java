package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One region's payment path (gateway, transaction-service and auth-service as one party) with a copy of every
 * shard: the primary of each shard it owns, the standby of each shard the other region owns. It does what
 * docs/multi-region.md says a region does:
 *
 * <ul>
 *   <li>takes a payment only for a merchant whose group it owns, while it holds its write lease, on a primary
 *       copy at the owner's epoch; it forwards a payment for the other region's merchants there, and refuses it
 *       ({@code home_region_unreachable}) when no answer comes: it never writes one itself;</li>
 *   <li>records the intent (the acquirer reference derived from merchant and Idempotency-Key) before calling the
 *       acquirer, records the charge with its capture entry after, and asks again about intents left waiting;</li>
 *   <li>streams each primary's WAL to its standby, and mirrors its ledger entries, to the other region; a standby
 *       takes only records that follow its chain, and a copy that is primary takes none;</li>
 *   <li>promoted by the witness: checks its chain and what the mirror told it, starts the new epoch with a marker
 *       entry, becomes writable 2-10 s later, and reconciles with the acquirer from the commit time of its last
 *       replayed record, or from an earlier point a reconciliation of the same timeline still owes, asking by
 *       reference about every entry the mirror showed it is missing, and writes down when it is done;</li>
 *   <li>told another region owns a group it was primary for: becomes a standby, and rewinds to the fork point
 *       when the new primary's WAL arrives.</li>
 * </ul>
 *
 * <p>Abstracts away: the vault and card data, risk, webhooks, reads, the gateway's idempotency table (the
 * shard's lookup by key stands for both layers), and the latency inside a region.
 */
final class Region implements Node {

    private sealed interface Waiter {
    }

    private record ClientWaiter(long requestId) implements Waiter {
    }

    private record ForwardWaiter(String region, long forwardId) implements Waiter {
    }

    /**
     * A promoted copy's catch-up with the acquirer: one listing since its replay point (or since an earlier point a
     * reconciliation of this timeline still owes), and inquiries by reference.
     */
    private static final class Reconciliation {
        final int epoch;
        final long sinceMillis;
        final Set<String> inquiries;
        boolean listed;

        Reconciliation(int epoch, long sinceMillis, Set<String> inquiries) {
            this.epoch = epoch;
            this.sinceMillis = sinceMillis;
            this.inquiries = inquiries;
        }
    }

    /** What the mirror of the other region's {@code ledger_entries} holds for one shard, on one timeline. */
    private static final class Mirror {
        int epoch;
        final List<LedgerEntry> entries = new ArrayList<>();
    }

    private final String name;
    private final String peer;
    private final Simulation sim;
    private final long walEveryMillis;
    private final long mirrorEveryMillis;
    private final Map<String, ShardCopy> copies = new TreeMap<>();
    private final Map<String, Witness.Ownership> view = new TreeMap<>();
    private final Map<String, Mirror> mirrors = new TreeMap<>();
    private final Map<String, Integer> walAcked = new HashMap<>();
    private final Map<String, Long> walSentAt = new HashMap<>();
    private final Map<String, Integer> mirrorAcked = new HashMap<>();
    private final Map<String, Reconciliation> reconciliations = new TreeMap<>();
    private final Map<String, List<Waiter>> waiting = new HashMap<>();
    private final Map<String, Long> lastAskedAt = new HashMap<>();
    private final Map<Long, Long> forwards = new HashMap<>();
    private long leaseValidUntil = Timings.LEASE_TTL_MILLIS;
    private boolean lost;
    private long restartingUntil;
    private long nextForwardId;
    private long nextPaymentNumber;
    private boolean droppedAnEntry;
    /** A crash is due: it strikes at the next acquirer answer, between the charge and its record. */
    private boolean crashArmed;

    Region(String name, Simulation sim) {
        this.name = name;
        this.peer = Topology.other(name);
        this.sim = sim;
        this.walEveryMillis = sim.random().nextLong(50, 501);
        this.mirrorEveryMillis = sim.random().nextLong(200, 3_001);
        for (String shard : Topology.SHARDS) {
            boolean home = Topology.groupOf(shard).equals(name);
            copies.put(shard, new ShardCopy(shard, home ? ShardCopy.Role.PRIMARY : ShardCopy.Role.STANDBY));
        }
        for (String group : Topology.REGIONS) {
            view.put(group, new Witness.Ownership(group, 1));
        }
    }

    void start() {
        sim.every(Timings.LEASE_RENEW_EVERY_MILLIS, this::renewLease);
        sim.every(walEveryMillis, this::shipWal);
        sim.every(mirrorEveryMillis, this::shipMirror);
        sim.every(Timings.RECOVERY_EVERY_MILLIS, this::recover);
        armNextCrash();
    }

    private void armNextCrash() {
        long mean = sim.faults().meanMillisBetweenCrashes;
        if (mean > 0) {
            long gapMillis = Math.max(1, (long) (-Math.log(1 - sim.random().nextDouble()) * mean));
            sim.schedule(gapMillis, () -> crashArmed = true);
        }
    }

    String name() {
        return name;
    }

    ShardCopy copy(String shard) {
        return copies.get(shard);
    }

    /** What the region's gateway answers at {@code /healthz}: up, its process running, its write lease held. */
    boolean healthy() {
        return !lost && sim.now() >= restartingUntil && (leaseHeld() || sim.flawed(Flaw.PROMOTE_WITHOUT_FENCING));
    }

    // ---- faults

    void lose() {
        lost = true;
        forgetWorkInFlight();
        sim.trace("region %s lost", name);
    }

    void comeBack() {
        lost = false;
        sim.trace("region %s is back; lease held: %s", name, leaseHeld());
    }

    private void crash() {
        crashArmed = false;
        armNextCrash();
        forgetWorkInFlight();
        restartingUntil = sim.now() + sim.random().nextLong(Timings.PROCESS_RESTART_MIN_MILLIS, Timings.PROCESS_RESTART_MAX_MILLIS + 1);
        sim.crashed();
        sim.trace("region %s: process crashed between the acquirer's charge and its record; back at %d", name, restartingUntil);
    }

    private void forgetWorkInFlight() {
        waiting.clear();
        forwards.clear();
        lastAskedAt.clear();
    }

    private boolean running() {
        return !lost && sim.now() >= restartingUntil;
    }

    private boolean leaseHeld() {
        return sim.now() < leaseValidUntil;
    }

    // ---- messages

    @Override
    public void receive(String from, Message message) {
        if (lost) {
            return;
        }
        switch (message) {
            case Message.PayRequest request -> {
                if (running()) {
                    takePayment(request);
                }
            }
            case Message.Forward forward -> {
                if (running()) {
                    pay(forward.request(), new ForwardWaiter(from, forward.forwardId()));
                }
            }
            case Message.ForwardAnswer answer -> {
                Long requestId = forwards.remove(answer.forwardId());
                if (requestId != null) {
                    Message.PayAnswer home = answer.answer();
                    sim.network().send(name, Topology.CLIENTS,
                            new Message.PayAnswer(requestId, home.approved(), home.paymentId(), home.refusal()));
                }
            }
            case Message.Authorized authorized -> {
                if (!running()) {
                    return;
                }
                if (crashArmed && !sim.faults().calm(sim.now())) {
                    crash();
                    return;
                }
                chargeKnown(authorized.charge(), "answer");
            }
            case Message.InquiryAnswer answer -> inquiryAnswered(answer);
            case Message.ChargeList list -> chargesListed(list);
            case Message.LeaseGrant grant -> {
                leaseValidUntil = Math.max(leaseValidUntil, grant.sentAtMillis() + Timings.LEASE_TTL_MILLIS);
                adopt(grant.ownership());
            }
            case Message.OwnershipNotice notice -> adopt(notice.ownership());
            case Message.WalBatch batch -> walReceived(from, batch);
            case Message.WalAck ack -> walAcknowledged(ack);
            case Message.MirrorBatch batch -> mirrorReceived(from, batch);
            case Message.MirrorAck ack -> mirrorAcked.put(ack.shard(), ack.size());
            default -> throw new IllegalStateException("region " + name + " does not take " + message);
        }
    }

    // ---- the payment path

    private void takePayment(Message.PayRequest request) {
        String owner = view.get(Topology.groupOf(Topology.shardOf(request.merchant()))).owner();
        if (owner.equals(name)) {
            pay(request, new ClientWaiter(request.requestId()));
            return;
        }
        long forwardId = ++nextForwardId;
        forwards.put(forwardId, request.requestId());
        sim.network().send(name, owner, new Message.Forward(forwardId, request));
        sim.schedule(Timings.FORWARD_TIMEOUT_MILLIS, () -> {
            if (forwards.remove(forwardId) != null) {
                sim.trace("region %s: no answer from %s for %s/%s: refused", name, owner, request.merchant(), request.key());
                sim.network().send(name, Topology.CLIENTS,
                        new Message.PayAnswer(request.requestId(), false, null, "home_region_unreachable"));
            }
        });
    }

    private void pay(Message.PayRequest request, Waiter waiter) {
        ShardCopy copy = copies.get(Topology.shardOf(request.merchant()));
        String refusal = writeRefusal(copy);
        if (refusal != null) {
            answer(waiter, false, null, refusal);
            return;
        }
        String keyId = ShardCopy.keyId(request.merchant(), request.key());
        WalRecord.IntentRecorded intent = null;
        if (!sim.flawed(Flaw.RETRY_WITHOUT_IDEMPOTENCY)) {
            WalRecord.PaymentRecorded done = copy.paymentByKey(keyId);
            if (done != null) {
                answer(waiter, true, done.paymentId(), null);
                return;
            }
            intent = copy.intentByKey(keyId);
        }
        if (intent == null) {
            String paymentId = "pay_" + copy.shard + "_e" + copy.epoch + "_" + name + (++nextPaymentNumber);
            String reference = sim.flawed(Flaw.RETRY_WITHOUT_IDEMPOTENCY)
                    ? "att_" + paymentId
                    : "idr_" + request.merchant() + "_" + request.key();
            intent = new WalRecord.IntentRecorded(reference, paymentId, request.merchant(), request.key(),
                    request.amountMinor(), request.currency(), sim.now());
            copy.append(intent);
            sim.trace("region %s: intent %s for %s/%s on %s", name, paymentId, request.merchant(), request.key(), copy.shard);
        }
        List<Waiter> waiters = waiting.computeIfAbsent(intent.reference(), r -> new ArrayList<>());
        if (waiters.size() >= 16) {
            waiters.removeFirst();
        }
        waiters.add(waiter);
        askAcquirer(intent);
    }

    /** Why this region may not write to this copy now, or null when it may. */
    private String writeRefusal(ShardCopy copy) {
        if (!leaseHeld() && !sim.flawed(Flaw.PROMOTE_WITHOUT_FENCING)) {
            return "no_write_lease";
        }
        Witness.Ownership ownership = view.get(Topology.groupOf(copy.shard));
        if (!ownership.owner().equals(name)) {
            return "not_home";
        }
        if (copy.role != ShardCopy.Role.PRIMARY || copy.epoch != ownership.epoch() || sim.now() < copy.writableFromMillis) {
            return "standby_not_promoted";
        }
        return null;
    }

    private void askAcquirer(WalRecord.IntentRecorded intent) {
        lastAskedAt.put(intent.reference(), sim.now());
        sim.network().send(name, Topology.ACQUIRER, new Message.Authorize(intent.reference(), intent.paymentId(),
                intent.merchant(), intent.key(), intent.amountMinor(), intent.currency()));
    }

    /** A charge learnt of by any path: recorded once, if this region may write, and the waiting requests answered. */
    private void chargeKnown(Acquirer.Charge charge, String how) {
        ShardCopy copy = copies.get(Topology.shardOf(charge.merchant()));
        List<Waiter> waiters = waiting.remove(charge.reference());
        String refusal = writeRefusal(copy);
        if (refusal != null) {
            sim.trace("region %s: charge %s not recorded here (%s)", name, charge.reference(), refusal);
            return;
        }
        WalRecord.PaymentRecorded payment = record(copy, charge, how);
        if (waiters != null) {
            for (Waiter waiter : waiters) {
                answer(waiter, true, payment.paymentId(), null);
            }
        }
    }

    private WalRecord.PaymentRecorded record(ShardCopy copy, Acquirer.Charge charge, String how) {
        WalRecord.PaymentRecorded existing = copy.paymentByReference(charge.reference());
        if (existing != null) {
            return existing;
        }
        LedgerEntry entry = copy.chain().next(LedgerEntry.CAPTURE, copy.epoch, charge.paymentId(), charge.reference(),
                charge.merchant(), sim.now(), LedgerEntry.capturePostings(charge.merchant(), charge.currency(),
                        charge.amountMinor(), sim.flawed(Flaw.UNBALANCED_ENTRY)));
        WalRecord.PaymentRecorded payment = new WalRecord.PaymentRecorded(charge.reference(), charge.paymentId(),
                charge.merchant(), charge.key(), charge.amountMinor(), charge.currency(), sim.now(), how, entry);
        copy.append(payment);
        sim.recorded(how);
        sim.trace("region %s: recorded %s (%s) on %s as entry %d, from the %s", name, charge.paymentId(),
                charge.reference(), copy.shard, entry.sequence(), how);
        return payment;
    }

    private void answer(Waiter waiter, boolean approved, String paymentId, String refusal) {
        switch (waiter) {
            case ClientWaiter client -> sim.network().send(name, Topology.CLIENTS,
                    new Message.PayAnswer(client.requestId(), approved, paymentId, refusal));
            // The forwarding region knows the client's request id and puts it back.
            case ForwardWaiter forward -> sim.network().send(name, forward.region(), new Message.ForwardAnswer(
                    forward.forwardId(), new Message.PayAnswer(0, approved, paymentId, refusal)));
        }
    }

    /** The recovery path, and the promoted copies' reconciliation, once a second. */
    private void recover() {
        if (!running()) {
            return;
        }
        for (ShardCopy copy : copies.values()) {
            if (writeRefusal(copy) != null) {
                continue;
            }
            int asked = 0;
            for (WalRecord.IntentRecorded intent : copy.waitingForAcquirer()) {
                long last = lastAskedAt.getOrDefault(intent.reference(), intent.atMillis());
                if (asked < Timings.RECOVERY_BATCH && sim.now() - last >= Timings.RECOVERY_AFTER_MILLIS) {
                    askAcquirer(intent);
                    asked++;
                }
            }
            finishIfReconciled(copy.shard);
            Reconciliation reconciliation = reconciliations.get(copy.shard);
            if (reconciliation == null) {
                continue;
            }
            if (!reconciliation.listed) {
                sim.network().send(name, Topology.ACQUIRER, new Message.ListCharges(copy.shard,
                        Topology.merchantsOf(copy.shard), reconciliation.sinceMillis));
            }
            reconciliation.inquiries.stream().limit(Timings.RECOVERY_BATCH)
                    .forEach(reference -> sim.network().send(name, Topology.ACQUIRER, new Message.Inquire(reference)));
        }
    }

    private void chargesListed(Message.ChargeList list) {
        Reconciliation reconciliation = reconciliations.get(list.shard());
        if (reconciliation == null || reconciliation.listed || !running() || writeRefusal(copies.get(list.shard())) != null) {
            return;
        }
        for (Acquirer.Charge charge : list.charges()) {
            chargeKnown(charge, "reconciliation");
        }
        reconciliation.listed = true;
        sim.trace("region %s: listed %s's charges since %d with the acquirer: %d", name, list.shard(),
                reconciliation.sinceMillis, list.charges().size());
        finishIfReconciled(list.shard());
    }

    /** Writes down that a promoted copy's reconciliation is done, so no later owner need do it again. */
    private void finishIfReconciled(String shard) {
        Reconciliation reconciliation = reconciliations.get(shard);
        ShardCopy copy = copies.get(shard);
        if (reconciliation != null && reconciliation.listed && reconciliation.inquiries.isEmpty()
                && writeRefusal(copy) == null) {
            copy.append(new WalRecord.Reconciled(reconciliation.epoch, sim.now()));
            reconciliations.remove(shard);
            sim.trace("region %s: %s reconciled for epoch %d", name, shard, reconciliation.epoch);
        }
    }

    private void inquiryAnswered(Message.InquiryAnswer answer) {
        if (!running()) {
            return;
        }
        for (Map.Entry<String, Reconciliation> entry : reconciliations.entrySet()) {
            if (entry.getValue().inquiries.contains(answer.reference())
                    && writeRefusal(copies.get(entry.getKey())) == null) {
                if (answer.charge() == null) {
                    sim.finding("region " + name + ": the mirror showed an entry for " + answer.reference()
                            + " but the acquirer charged nothing under it");
                } else {
                    chargeKnown(answer.charge(), "inquiry");
                }
                entry.getValue().inquiries.remove(answer.reference());
            }
        }
        List.copyOf(reconciliations.keySet()).forEach(this::finishIfReconciled);
    }

    // ---- lease and ownership

    private void renewLease() {
        if (lost) {
            return;
        }
        Map<String, Integer> followed = new TreeMap<>();
        for (ShardCopy copy : copies.values()) {
            followed.merge(Topology.groupOf(copy.shard), copy.epoch, Math::min);
        }
        sim.network().send(name, Topology.WITNESS, new Message.Renew(name, sim.now(), Map.copyOf(followed)));
    }

    private void adopt(Map<String, Witness.Ownership> ownership) {
        for (Map.Entry<String, Witness.Ownership> entry : ownership.entrySet()) {
            if (entry.getValue().epoch() > view.get(entry.getKey()).epoch()) {
                view.put(entry.getKey(), entry.getValue());
                sim.trace("region %s learns group %s is %s's at epoch %d", name, entry.getKey(),
                        entry.getValue().owner(), entry.getValue().epoch());
            }
        }
        for (ShardCopy copy : copies.values()) {
            Witness.Ownership current = view.get(Topology.groupOf(copy.shard));
            if (current.owner().equals(name) && copy.role == ShardCopy.Role.STANDBY && copy.epoch < current.epoch()) {
                promote(copy, current.epoch());
            } else if (!current.owner().equals(name) && copy.role == ShardCopy.Role.PRIMARY && copy.epoch < current.epoch()) {
                copy.role = ShardCopy.Role.STANDBY;
                reconciliations.remove(copy.shard);
                sim.trace("region %s: %s demoted to standby; it rewinds when %s's WAL arrives", name, copy.shard,
                        current.owner());
            }
        }
    }

    private void promote(ShardCopy copy, int epoch) {
        long replayedUpTo = copy.lastRecordAtMillis();
        // From the replay point, or from where a reconciliation this timeline still owes began, if earlier: a
        // promoted primary lost before it reconciled leaves its debt in the WAL for the next owner.
        long since = Math.min(replayedUpTo - Timings.RECONCILIATION_MARGIN_MILLIS,
                sim.flawed(Flaw.FORGET_UNFINISHED_RECONCILIATION) ? Long.MAX_VALUE : copy.reconciliationOwedSinceMillis());
        HashChain chain = copy.chain();
        List<String> problems = chain.verify();
        if (!problems.isEmpty()) {
            sim.finding("region " + name + " promotes " + copy.shard + " over a broken chain: " + problems.getFirst());
        }
        // What the mirrored ledger_entries say the old primary booked: where it overlaps the standby's chain it must
        // match entry for entry; what chains on beyond the standby's head is a gap known by name.
        Set<String> knownMissing = new LinkedHashSet<>();
        int knownMissingEntries = 0;
        Mirror mirror = mirrors.get(copy.shard);
        if (mirror != null && mirror.epoch == copy.epoch) {
            long headSequence = chain.headSequence();
            String expectedPrevious = chain.headHash();
            for (LedgerEntry mirrored : mirror.entries) {
                if (mirrored.sequence() <= headSequence) {
                    LedgerEntry held = chain.entry(mirrored.sequence());
                    if (held == null || !held.hash().equals(mirrored.hash())) {
                        sim.finding("region " + name + ": standby " + copy.shard + " differs at entry "
                                + mirrored.sequence() + " from what its primary published");
                    }
                } else if (mirrored.sequence() == headSequence + 1 + knownMissingEntries
                        && mirrored.previousHash().equals(expectedPrevious)) {
                    knownMissingEntries++;
                    if (mirrored.kind().equals(LedgerEntry.CAPTURE)) {
                        knownMissing.add(mirrored.reference());
                    }
                    expectedPrevious = mirrored.hash();
                }
            }
        }
        copy.role = ShardCopy.Role.PRIMARY;
        copy.epoch = epoch;
        copy.writableFromMillis = sim.now() + sim.random().nextLong(Timings.PROMOTION_MIN_MILLIS, Timings.PROMOTION_MAX_MILLIS + 1);
        List<ShardCopy.Fork> forks = new ArrayList<>(copy.forks);
        forks.add(new ShardCopy.Fork(epoch, copy.size()));
        copy.forks = List.copyOf(forks);
        LedgerEntry marker = chain.next(LedgerEntry.EPOCH, epoch, "", "", "", sim.now(), List.of());
        if (sim.flawed(Flaw.RECONCILE_FIXED_WINDOW)) {
            since = sim.now() - Timings.FENCE_MARGIN_MILLIS - Timings.LEASE_TTL_MILLIS - Timings.RPO_BOUND_MILLIS;
        }
        copy.append(new WalRecord.EpochStarted(epoch, sim.now(), replayedUpTo, knownMissingEntries, since, marker));
        walAcked.put(copy.shard, 0);
        mirrorAcked.put(copy.shard, 0);
        sim.onPromoted(name, copy, knownMissingEntries);
        sim.trace("region %s: %s promoted at epoch %d, writable at %d; replayed up to %d, chain head %d, %d entries"
                + " known missing; reconciles from %d", name, copy.shard, epoch, copy.writableFromMillis, replayedUpTo,
                chain.headSequence() - 1, knownMissingEntries, since);
        if (!sim.flawed(Flaw.SKIP_RECONCILIATION)) {
            reconciliations.put(copy.shard, new Reconciliation(epoch, since, knownMissing));
        }
    }

    // ---- replication

    private void shipWal() {
        if (lost) {
            return;
        }
        for (ShardCopy copy : primaries()) {
            int from = Math.min(walAcked.getOrDefault(copy.shard, 0), copy.size());
            long sentAt = walSentAt.getOrDefault(copy.shard, -Timings.WAL_HEARTBEAT_MILLIS);
            if (sim.flawed(Flaw.LAGGING_STANDBY) && sim.now() - sentAt < 8_000) {
                continue;
            }
            if (from < copy.size() || sim.now() - sentAt >= Timings.WAL_HEARTBEAT_MILLIS) {
                walSentAt.put(copy.shard, sim.now());
                int to = Math.min(copy.size(), from + Timings.WAL_BATCH_RECORDS);
                sim.network().send(name, peer, new Message.WalBatch(copy.shard, copy.epoch, copy.forks, from,
                        copy.records(from, to)));
            }
        }
    }

    private List<ShardCopy> primaries() {
        return copies.values().stream().filter(copy -> copy.role == ShardCopy.Role.PRIMARY).toList();
    }

    private void walReceived(String from, Message.WalBatch batch) {
        ShardCopy copy = copies.get(batch.shard());
        if (copy.role == ShardCopy.Role.PRIMARY || batch.epoch() < copy.epoch) {
            // A copy that is primary, or follows a later epoch, takes nothing from an old primary: fenced.
            return;
        }
        if (batch.epoch() > copy.epoch) {
            rewind(copy, batch);
        }
        if (batch.fromIndex() <= copy.size()) {
            List<WalRecord> records = batch.records();
            for (int i = copy.size() - batch.fromIndex(); i < records.size(); i++) {
                WalRecord record = records.get(i);
                if (sim.flawed(Flaw.REPLICA_DROPS_ENTRY) && !droppedAnEntry && copy.chain().size() >= 5
                        && record instanceof WalRecord.PaymentRecorded payment) {
                    droppedAnEntry = true;
                    copy.verifiesLinks = false;
                    copy.applyDroppingEntry(payment);
                    sim.trace("region %s: (flaw) standby %s dropped entry %d", name, copy.shard, payment.entry().sequence());
                    continue;
                }
                if (!copy.applyReplicated(record)) {
                    sim.finding("region " + name + ": standby " + copy.shard + " received a record at index "
                            + copy.size() + " that does not follow its chain");
                    break;
                }
            }
        }
        sim.network().send(name, from, new Message.WalAck(copy.shard, copy.epoch, copy.size()));
    }

    private void walAcknowledged(Message.WalAck ack) {
        walAcked.put(ack.shard(), ack.size());
        ShardCopy copy = copies.get(ack.shard());
        if (copy.role == ShardCopy.Role.PRIMARY && ack.epoch() == copy.epoch && ack.size() == copy.size()) {
            sim.standbyCaughtUp(copy.shard, name);
        }
    }

    /** A copy on an older epoch meets the new primary: keep what precedes the fork, drop the rest (pg_rewind). */
    private void rewind(ShardCopy copy, Message.WalBatch batch) {
        ShardCopy.Fork fork = batch.forks().stream().filter(f -> f.epoch() > copy.epoch).findFirst()
                .orElseThrow(() -> new IllegalStateException("a later epoch without a fork: " + batch.forks()));
        if (copy.size() > fork.index() && !sim.flawed(Flaw.KEEP_DIVERGED_TAIL)) {
            sim.onRewind(name, copy, fork.index());
            sim.trace("region %s: %s rewinds from %d records to the fork at %d (epoch %d)", name, copy.shard,
                    copy.size(), fork.index(), fork.epoch());
            copy.truncate(fork.index());
        }
        copy.epoch = batch.epoch();
        copy.forks = batch.forks();
    }

    private void shipMirror() {
        if (lost) {
            return;
        }
        for (ShardCopy copy : primaries()) {
            List<LedgerEntry> entries = copy.chain().entries();
            int from = Math.min(mirrorAcked.getOrDefault(copy.shard, 0), entries.size());
            int to = Math.min(entries.size(), from + Timings.WAL_BATCH_RECORDS);
            sim.network().send(name, peer, new Message.MirrorBatch(copy.shard, copy.epoch, from,
                    List.copyOf(entries.subList(from, to))));
        }
    }

    private void mirrorReceived(String from, Message.MirrorBatch batch) {
        if (copies.get(batch.shard()).role == ShardCopy.Role.PRIMARY) {
            return;
        }
        Mirror mirror = mirrors.computeIfAbsent(batch.shard(), s -> new Mirror());
        if (mirror.epoch != batch.epoch()) {
            mirror.epoch = batch.epoch();
            mirror.entries.clear();
        }
        if (batch.fromIndex() <= mirror.entries.size()) {
            List<LedgerEntry> entries = batch.entries();
            for (int i = mirror.entries.size() - batch.fromIndex(); i < entries.size(); i++) {
                mirror.entries.add(entries.get(i));
            }
        }
        sim.network().send(name, from, new Message.MirrorAck(batch.shard(), mirror.entries.size()));
    }
}
