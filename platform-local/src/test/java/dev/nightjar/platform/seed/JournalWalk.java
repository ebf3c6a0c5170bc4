package dev.nightjar.platform.seed;

import dev.nightjar.common.ledger.ChainHash;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ledger-service's integrity check of one shard ({@code IntegrityCheck}), mirrored for tests: the chain walked in
 * sequence order (1..n without gaps, each previous hash the hash before, each hash recomputed from the row, the
 * last one the head), every entry balanced, postings summing to zero per currency, every account's balance the
 * sum of its postings, no event booked twice as the same kind. Returns what is wrong; empty when nothing is.
 */
final class JournalWalk {

    private JournalWalk() {
    }

    static List<String> findings(Connection ledger) throws SQLException {
        // a cursor (fetch size, in a transaction), so a long journal is walked without holding it in memory
        boolean autoCommit = ledger.getAutoCommit();
        ledger.setAutoCommit(false);
        try {
            return walk(ledger);
        } finally {
            ledger.commit();
            ledger.setAutoCommit(autoCommit);
        }
    }

    private static List<String> walk(Connection ledger) throws SQLException {
        List<String> findings = new ArrayList<>();
        Map<String, Long> totals = new TreeMap<>();
        Map<String, Long> byAccount = new HashMap<>();
        long sequence = 0;
        String hash = ChainHash.GENESIS;
        try (Statement statement = statement(ledger); ResultSet rs = statement.executeQuery("""
                SELECT id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
                       authorization_reference, currency, amount_minor, fee_minor, posting_accounts, posting_currencies,
                       posting_amounts, sequence, previous_hash, entry_hash
                FROM journal_entries ORDER BY sequence""")) {
            while (rs.next()) {
                String id = rs.getString("id");
                long rowSequence = rs.getLong("sequence");
                String previous = ChainHash.hex(rs.getBytes("previous_hash"));
                String stored = ChainHash.hex(rs.getBytes("entry_hash"));
                if (rowSequence != sequence + 1) {
                    findings.add("entry " + id + " has sequence " + rowSequence + " after " + sequence);
                }
                if (!previous.equals(hash)) {
                    findings.add("entry " + id + " does not follow the entry before it in the hash chain");
                }
                SeedEntry entry = entry(rs);
                for (SeedEntry.Posting posting : entry.postings()) {
                    totals.merge(posting.currency(), posting.amountMinor(), Math::addExact);
                    byAccount.merge(posting.account(), posting.amountMinor(), Math::addExact);
                }
                if (!ChainHash.of(previous, rowSequence, entry).equals(stored)) {
                    findings.add("entry " + id + " (sequence " + rowSequence + "): its hash does not match its content");
                }
                sequence = rowSequence;
                hash = stored;
            }
        }
        try (Statement statement = ledger.createStatement();
             ResultSet rs = statement.executeQuery("SELECT last_sequence, last_hash FROM ledger_chain")) {
            rs.next();
            if (rs.getLong(1) != sequence || !ChainHash.hex(rs.getBytes(2)).equals(hash)) {
                findings.add("chain head at " + rs.getLong(1) + " but the journal ends at " + sequence);
            }
        }
        totals.forEach((currency, sum) -> {
            if (sum != 0) {
                findings.add("postings in " + currency + " sum to " + sum);
            }
        });
        try (Statement statement = ledger.createStatement();
             ResultSet rs = statement.executeQuery("SELECT code, balance_minor FROM accounts")) {
            while (rs.next()) {
                long expected = byAccount.getOrDefault(rs.getString(1), 0L);
                if (rs.getLong(2) != expected) {
                    findings.add("account " + rs.getString(1) + " has " + rs.getLong(2) + ", its postings " + expected);
                }
            }
        }
        try (Statement statement = ledger.createStatement(); ResultSet rs = statement.executeQuery("""
                SELECT source_event_id, kind FROM journal_entries GROUP BY source_event_id, kind HAVING count(*) > 1 LIMIT 5""")) {
            while (rs.next()) {
                findings.add("event " + rs.getString(1) + " booked more than once as " + rs.getString(2));
            }
        }
        return findings;
    }

    private static Statement statement(Connection ledger) throws SQLException {
        Statement statement = ledger.createStatement();
        statement.setFetchSize(1_000);
        return statement;
    }

    /** The row as an entry; its constructor refuses an unbalanced one. */
    private static SeedEntry entry(ResultSet rs) throws SQLException {
        String[] accounts = (String[]) rs.getArray("posting_accounts").getArray();
        String[] currencies = (String[]) rs.getArray("posting_currencies").getArray();
        Long[] amounts = (Long[]) rs.getArray("posting_amounts").getArray();
        List<SeedEntry.Posting> postings = new ArrayList<>(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            postings.add(new SeedEntry.Posting(accounts[i], amounts[i], currencies[i]));
        }
        return new SeedEntry(rs.getString("id"), rs.getTimestamp("created_at").toInstant(), rs.getString("merchant_id"),
                rs.getString("kind"), rs.getString("payment_id"), rs.getString("source_event_id"), rs.getString("description"),
                rs.getString("acquirer"), rs.getString("authorization_reference"), rs.getString("currency"),
                rs.getLong("amount_minor"), rs.getLong("fee_minor"), postings);
    }
}
