package dev.nightjar.ledger.integrity;

import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ledger's integrity, shard by shard, from the stored rows alone:
 * <ul>
 *   <li>every entry balanced per currency, and its postings' currencies those of their accounts;</li>
 *   <li>the hash chain intact: sequences 1..n without gaps, each entry's previous hash the hash of the one
 *       before, each hash recomputed from the row, the last one the chain head;</li>
 *   <li>all postings together summing to zero per currency (over the shard and over all shards);</li>
 *   <li>every account's stored balance equal to the sum of its postings;</li>
 *   <li>no event booked twice: at most one entry of each kind per source event.</li>
 * </ul>
 * Reads in one repeatable-read transaction per shard, so appends going on meanwhile do not show as errors.
 * <p>
 * A full check walks every entry. After a shard's check found nothing, the check remembers where that walk
 * ended: the sequence, its hash, the postings' totals per currency and per account. An incremental check
 * starts from there and walks only the entries appended since, so its cost follows the appends, not the
 * history: the new entries' chain must continue from the remembered hash, the remembered sums plus the new
 * postings must still sum to zero and equal every account's stored balance, and no new entry's event may
 * have been booked before. What an incremental check cannot see is an entry changed behind the service's back
 * before the remembered point; the full walk that {@link #runScheduled()} makes at least every
 * {@code fullEvery} finds it. A shard whose full walk finds something is forgotten, so every scheduled check
 * walks it in full again and keeps reporting the finding until the ledger is put right.
 */
public final class IntegrityCheck {

    private static final int MAX_FINDINGS = 100;

    private final Shards shards;
    private final IntegrityGauges gauges;
    private final Clock clock;
    private final Duration fullEvery;
    private final Pace scheduledPace;
    private final Map<Integer, Verified> verified = new ConcurrentHashMap<>();

    /**
     * @param fullEvery      how old the last clean full walk may be before a scheduled check walks in full again
     * @param scheduledShare the share of the wall clock a scheduled check may spend walking, above 0 and at most 1:
     *                       it pauses between stretches of work so as not to take the CPU the payments need
     */
    public IntegrityCheck(Shards shards, IntegrityGauges gauges, Clock clock, Duration fullEvery, double scheduledShare) {
        this(shards, gauges, clock, fullEvery, new Pace(scheduledShare, System::nanoTime,
                duration -> Thread.sleep(duration)));
    }

    IntegrityCheck(Shards shards, IntegrityGauges gauges, Clock clock, Duration fullEvery, Pace scheduledPace) {
        this.shards = shards;
        this.gauges = gauges;
        this.clock = clock;
        this.fullEvery = fullEvery;
        this.scheduledPace = scheduledPace;
    }

    /**
     * One shard's figures and what is wrong with it: {@code entries} in the journal, of which {@code entriesWalked}
     * were read this time, from {@code walkedFromSequence} on.
     */
    public record ShardReport(int shard, long entries, long entriesWalked, long walkedFromSequence, long lastSequence,
                              Map<String, Long> postingTotals, long accounts, List<String> findings) {
    }

    /**
     * The whole ledger: ok when no shard has a finding and every currency sums to zero overall; {@code full} when
     * every shard's journal was walked from its first entry.
     */
    public record Report(boolean ok, boolean full, long entries, Map<String, Long> totalsByCurrency,
                         List<ShardReport> shards, List<String> findings) {
    }

    /** Where a shard's last check that found nothing ended, and when its last clean full walk was. */
    private record Verified(long sequence, String hash, long entries, Map<String, Long> totals,
                            Map<String, Long> byAccount, Instant fullWalkAt) {
    }

    /** The full check: every entry of every shard, at full speed. */
    public Report run() {
        return run(true);
    }

    /**
     * The check on a schedule: incremental from where the last clean check ended, or a full walk when a shard has
     * no clean check to start from or its last clean full walk is older than {@code fullEvery}; at the scheduled
     * pace, since nobody waits for it.
     */
    public Report runScheduled() {
        Instant due = clock.instant().minus(fullEvery);
        boolean full = shards.all().stream().map(shard -> verified.get(shard.index()))
                .anyMatch(last -> last == null || last.fullWalkAt().isBefore(due));
        return run(full, scheduledPace.restart());
    }

    /**
     * A full walk ({@code full}), or one from where each shard's last clean check ended (from its first entry
     * when it has none yet).
     */
    public Report run(boolean full) {
        return run(full, Pace.fullSpeed());
    }

    private Report run(boolean full, Pace pace) {
        List<ShardReport> reports = new ArrayList<>();
        Map<String, Long> totals = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long entries = 0;
        for (Shard shard : shards.all()) {
            ShardReport report = check(shard, full ? null : verified.get(shard.index()), pace);
            reports.add(report);
            entries += report.entries();
            report.postingTotals().forEach((currency, sum) -> totals.merge(currency, sum, Math::addExact));
            report.findings().forEach(finding -> findings.add("shard " + shard.index() + ": " + finding));
        }
        totals.forEach((currency, sum) -> {
            if (sum != 0) {
                findings.add("all shards: postings in " + currency + " sum to " + sum + ", not zero");
            }
        });
        boolean walkedInFull = reports.stream().allMatch(shardReport -> shardReport.walkedFromSequence() == 1);
        Report report = new Report(findings.isEmpty(), walkedInFull, entries, totals, reports, findings);
        gauges.checked(report);
        return report;
    }

    /** Checks one shard, from {@code from} when given (else from its first entry), and remembers a clean result. */
    private ShardReport check(Shard shard, Verified from, Pace pace) {
        TransactionTemplate readOnly = new TransactionTemplate(shard.transactions().getTransactionManager());
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionTemplate.ISOLATION_REPEATABLE_READ);
        ChainWalk walk = new ChainWalk(from, pace);
        ShardReport report = readOnly.execute(status -> checkInTransaction(shard, walk));
        if (report.findings().isEmpty()) {
            Verified now = new Verified(walk.sequence, walk.hash, walk.count, walk.totals, walk.byAccount,
                    from == null ? clock.instant() : from.fullWalkAt());
            verified.merge(shard.index(), now, (earlier, later) -> later.sequence() >= earlier.sequence()
                    && !later.fullWalkAt().isBefore(earlier.fullWalkAt()) ? later : earlier);
        } else if (from == null) {
            verified.remove(shard.index());
        }
        return report;
    }

    private ShardReport checkInTransaction(Shard shard, ChainWalk walk) {
        List<String> findings = walk.findings;
        long after = walk.sequence;
        JdbcTemplate jdbc = new JdbcTemplate(shard.dataSource());
        jdbc.setFetchSize(1_000);
        jdbc.query("""
                SELECT id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
                       authorization_reference, currency, amount_minor, fee_minor, posting_accounts, posting_currencies,
                       posting_amounts, sequence, previous_hash, entry_hash
                FROM journal_entries WHERE sequence > ? ORDER BY sequence""", walk::row, after);
        shard.jdbc().sql("SELECT last_sequence, last_hash FROM ledger_chain").query((ResultSet rs) -> {
            if (rs.getLong(1) != walk.sequence || !ChainHash.hex(rs.getBytes(2)).equals(walk.hash)) {
                finding(findings, "chain head is at sequence " + rs.getLong(1) + " but the journal ends at " + walk.sequence
                        + (rs.getLong(1) > walk.sequence ? ": entries are missing" : ": the head does not match the last entry"));
            }
        });
        walk.totals.forEach((currency, sum) -> {
            if (sum != 0) {
                finding(findings, "postings in " + currency + " sum to " + sum + ", not zero");
            }
        });
        long accounts = shard.jdbc().sql("SELECT count(*) FROM accounts").query(Long.class).single();
        shard.jdbc().sql("SELECT code, balance_minor FROM accounts ORDER BY code").query((ResultSet rs) -> {
            long expected = walk.byAccount.getOrDefault(rs.getString(1), 0L);
            if (rs.getLong(2) != expected) {
                finding(findings, "account " + rs.getString(1) + " has balance " + rs.getLong(2)
                        + " but its postings sum to " + expected);
            }
        });
        shard.jdbc().sql(after == 0 ? """
                        SELECT source_event_id, kind, count(*) FROM journal_entries
                        GROUP BY source_event_id, kind HAVING count(*) > 1 LIMIT 20""" : """
                        SELECT source_event_id, kind, count(*) FROM journal_entries
                        WHERE source_event_id IN (SELECT source_event_id FROM journal_entries WHERE sequence > :after)
                        GROUP BY source_event_id, kind HAVING count(*) > 1 LIMIT 20""")
                .params(Map.of("after", after))
                .query((ResultSet rs) -> {
                    finding(findings, "event " + rs.getString(1) + " was booked " + rs.getLong(3) + " times as " + rs.getString(2));
                });
        return new ShardReport(shard.index(), walk.count, walk.count - walk.countBefore, after + 1, walk.sequence,
                walk.totals, accounts, findings);
    }

    private static void finding(List<String> findings, String finding) {
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        }
    }

    /**
     * Walks the journal in sequence order, recomputing the chain and summing postings, from the first entry or
     * from where an earlier clean walk ended.
     */
    private static final class ChainWalk {

        private static final int ROWS_BETWEEN_PACING = 256;

        private final List<String> findings = new ArrayList<>();
        private final Pace pace;
        private final Map<String, Long> totals;
        private final Map<String, Long> byAccount;
        private final long countBefore;
        private long sequence;
        private long count;
        private String hash;

        ChainWalk(Verified from, Pace pace) {
            this.pace = pace;
            totals = from == null ? new TreeMap<>() : new TreeMap<>(from.totals());
            byAccount = from == null ? new HashMap<>() : new HashMap<>(from.byAccount());
            sequence = from == null ? 0 : from.sequence();
            hash = from == null ? ChainHash.GENESIS : from.hash();
            count = from == null ? 0 : from.entries();
            countBefore = count;
        }

        void row(ResultSet rs) throws SQLException {
            count++;
            if ((count - countBefore) % ROWS_BETWEEN_PACING == 0) {
                pace.worked();
            }
            String id = rs.getString("id");
            long rowSequence = rs.getLong("sequence");
            String previous = ChainHash.hex(rs.getBytes("previous_hash"));
            String stored = ChainHash.hex(rs.getBytes("entry_hash"));
            if (rowSequence != sequence + 1) {
                finding(findings, "entry " + id + " has sequence " + rowSequence + " after " + sequence
                        + (rowSequence > sequence + 1 ? ": entries are missing" : ": a sequence is repeated"));
            }
            if (!previous.equals(hash)) {
                finding(findings, "entry " + id + " (sequence " + rowSequence + ") does not follow the entry before it in the hash chain");
            }
            String[] accounts = (String[]) rs.getArray("posting_accounts").getArray();
            String[] currencies = (String[]) rs.getArray("posting_currencies").getArray();
            Long[] amounts = (Long[]) rs.getArray("posting_amounts").getArray();
            Map<String, Long> entryTotals = new TreeMap<>();
            for (int i = 0; i < Math.min(accounts.length, Math.min(currencies.length, amounts.length)); i++) {
                entryTotals.merge(currencies[i], amounts[i], Math::addExact);
                totals.merge(currencies[i], amounts[i], Math::addExact);
                byAccount.merge(accounts[i], amounts[i], Math::addExact);
            }
            entryTotals.forEach((currency, sum) -> {
                if (sum != 0) {
                    finding(findings, "entry " + id + " is unbalanced: " + currency + " postings sum to " + sum);
                }
            });
            try {
                JournalEntry entry = Journal.ROW.mapRow(rs, (int) count);
                String recomputed = ChainHash.of(previous, rowSequence, entry);
                if (!recomputed.equals(stored)) {
                    finding(findings, "entry " + id + " (sequence " + rowSequence + ") was changed after it was written: "
                            + "its hash does not match its content");
                }
            } catch (IllegalArgumentException e) {
                finding(findings, "entry " + id + " is malformed: " + e.getMessage());
            }
            sequence = rowSequence;
            hash = stored;
        }
    }
}
