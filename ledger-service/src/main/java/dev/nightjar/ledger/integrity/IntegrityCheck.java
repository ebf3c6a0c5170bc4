package dev.nightjar.ledger.integrity;

import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
 */
public final class IntegrityCheck {

    private static final int MAX_FINDINGS = 100;

    private final Shards shards;
    private final IntegrityGauges gauges;

    public IntegrityCheck(Shards shards, IntegrityGauges gauges) {
        this.shards = shards;
        this.gauges = gauges;
    }

    /** One shard's figures and what is wrong with it. */
    public record ShardReport(int shard, long entries, long lastSequence, Map<String, Long> postingTotals,
                              long accounts, List<String> findings) {
    }

    /** The whole ledger: ok when no shard has a finding and every currency sums to zero overall. */
    public record Report(boolean ok, long entries, Map<String, Long> totalsByCurrency, List<ShardReport> shards,
                         List<String> findings) {
    }

    public Report run() {
        List<ShardReport> reports = new ArrayList<>();
        Map<String, Long> totals = new TreeMap<>();
        List<String> findings = new ArrayList<>();
        long entries = 0;
        for (Shard shard : shards.all()) {
            ShardReport report = check(shard);
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
        Report report = new Report(findings.isEmpty(), entries, totals, reports, findings);
        gauges.checked(report);
        return report;
    }

    private ShardReport check(Shard shard) {
        TransactionTemplate readOnly = new TransactionTemplate(shard.transactions().getTransactionManager());
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionTemplate.ISOLATION_REPEATABLE_READ);
        return readOnly.execute(status -> checkInTransaction(shard));
    }

    private ShardReport checkInTransaction(Shard shard) {
        List<String> findings = new ArrayList<>();
        ChainWalk walk = new ChainWalk(findings);
        JdbcTemplate jdbc = new JdbcTemplate(shard.dataSource());
        jdbc.setFetchSize(1_000);
        jdbc.query("""
                SELECT id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
                       authorization_reference, currency, amount_minor, fee_minor, posting_accounts, posting_currencies,
                       posting_amounts, sequence, previous_hash, entry_hash
                FROM journal_entries ORDER BY sequence""", walk::row);
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
        shard.jdbc().sql("""
                        SELECT source_event_id, kind, count(*) FROM journal_entries
                        GROUP BY source_event_id, kind HAVING count(*) > 1 LIMIT 20""")
                .query((ResultSet rs) -> {
                    finding(findings, "event " + rs.getString(1) + " was booked " + rs.getLong(3) + " times as " + rs.getString(2));
                });
        return new ShardReport(shard.index(), walk.count, walk.sequence, walk.totals, accounts, findings);
    }

    private static void finding(List<String> findings, String finding) {
        if (findings.size() < MAX_FINDINGS) {
            findings.add(finding);
        }
    }

    /** Walks the journal in sequence order, recomputing the chain and summing postings. */
    private static final class ChainWalk {

        private final List<String> findings;
        private final Map<String, Long> totals = new TreeMap<>();
        private final Map<String, Long> byAccount = new java.util.HashMap<>();
        private long sequence;
        private long count;
        private String hash = ChainHash.GENESIS;

        ChainWalk(List<String> findings) {
            this.findings = findings;
        }

        void row(ResultSet rs) throws SQLException {
            count++;
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
