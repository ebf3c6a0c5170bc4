package dev.nightjar.ledger.journal;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The journal on its shards. A batch of events lands in one transaction per shard: the event ids are
 * marked processed (duplicates drop out right there), the entries chained and appended, the account
 * balances and authorization holds moved, all or nothing. Balance is enforced again by the database
 * (CHECK on every entry); the chain head row serializes appends per shard, so the chain follows commit order.
 */
public final class Journal {

    /** One consumed event and where it was read from. */
    public record Consumed(EventEnvelope<?> event, String topic, int partition, long offset) {
    }

    /** What a batch did: entries written now, and entries of replayed records written by an earlier attempt. */
    public record Recorded(List<JournalEntry> written, List<JournalEntry> replayed) {
    }

    private static final String COLUMNS = """
            id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
            authorization_reference, currency, amount_minor, fee_minor, posting_accounts, posting_currencies,
            posting_amounts, sequence, previous_hash, entry_hash""";

    private final Shards shards;
    private final Bookkeeping bookkeeping;

    public Journal(Shards shards, Bookkeeping bookkeeping) {
        this.shards = shards;
        this.bookkeeping = bookkeeping;
    }

    public Shards shards() {
        return shards;
    }

    /** Records a batch of one shard's events exactly once, running {@code beforeCommit} last inside the transaction. */
    public Recorded record(Shard shard, String consumer, List<Consumed> batch, Runnable beforeCommit) {
        if (batch.isEmpty()) {
            return new Recorded(List.of(), List.of());
        }
        return shard.transactions().execute(status -> {
            Map<String, Consumed> byId = new LinkedHashMap<>();
            batch.forEach(consumed -> byId.putIfAbsent(consumed.event().eventId(), consumed));
            List<Consumed> distinct = new ArrayList<>(byId.values());
            java.util.Set<String> fresh = shard.jdbc().sql("""
                            INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)
                            SELECT :consumer, * FROM unnest(CAST(:ids AS text[]), CAST(:topics AS text[]),
                                                            CAST(:partitions AS int[]), CAST(:offsets AS bigint[]))
                            ON CONFLICT DO NOTHING RETURNING event_id""")
                    .param("consumer", consumer)
                    .param("ids", SqlArrays.text(distinct, c -> c.event().eventId()))
                    .param("topics", SqlArrays.text(distinct, Consumed::topic))
                    .param("partitions", SqlArrays.bigint(distinct, c -> (long) c.partition()))
                    .param("offsets", SqlArrays.bigint(distinct, Consumed::offset))
                    .query(String.class).set();
            List<JournalEntry> replayed = replayed(shard, consumer, byId, fresh);
            Map<String, Long> holds = holds(shard, fresh.stream().map(byId::get).toList());
            Map<String, Long> holdsBefore = new HashMap<>(holds);
            List<JournalEntry> entries = new ArrayList<>();
            for (Consumed consumed : distinct) {
                if (fresh.contains(consumed.event().eventId())) {
                    entries.addAll(bookkeeping.entriesFor(consumed.event(), holds));
                }
            }
            List<JournalEntry> written = append(shard, entries);
            saveHolds(shard, distinct, holds, holdsBefore);
            beforeCommit.run();
            return new Recorded(written, replayed);
        });
    }

    /**
     * Entries of events already processed from the very same record (topic, partition, offset): the earlier
     * attempt committed to the database but not its offsets, so its entries were never published.
     */
    private static List<JournalEntry> replayed(Shard shard, String consumer, Map<String, Consumed> byId,
                                               java.util.Set<String> fresh) {
        if (fresh.size() == byId.size()) {
            return List.of();
        }
        List<String> seen = byId.keySet().stream().filter(id -> !fresh.contains(id)).toList();
        List<String> sameRecord = new ArrayList<>();
        shard.jdbc().sql("""
                        SELECT event_id, topic, kafka_partition, kafka_offset FROM processed_events
                        WHERE consumer = :consumer AND event_id = ANY(CAST(:ids AS text[]))""")
                .param("consumer", consumer).param("ids", SqlArrays.text(seen))
                .query((ResultSet rs) -> {
                    Consumed now = byId.get(rs.getString(1));
                    if (now.topic().equals(rs.getString(2)) && rs.getInt(3) == now.partition() && rs.getLong(4) == now.offset()) {
                        sameRecord.add(rs.getString(1));
                    }
                });
        if (sameRecord.isEmpty()) {
            return List.of();
        }
        return shard.jdbc().sql("SELECT " + COLUMNS + " FROM journal_entries WHERE source_event_id = ANY(CAST(:ids AS text[])) ORDER BY sequence")
                .param("ids", SqlArrays.text(sameRecord)).query(ROW).list();
    }

    private static Map<String, Long> holds(Shard shard, List<Consumed> events) {
        List<String> payments = events.stream().map(Consumed::event).map(EventEnvelope::payload)
                .filter(PaymentEvent.class::isInstance).map(p -> ((PaymentEvent) p).paymentId()).distinct().toList();
        Map<String, Long> holds = new HashMap<>();
        if (!payments.isEmpty()) {
            shard.jdbc().sql("SELECT payment_id, outstanding_minor FROM authorization_holds WHERE payment_id = ANY(CAST(:ids AS text[]))")
                    .param("ids", SqlArrays.text(payments))
                    .query((ResultSet rs) -> {
                        holds.put(rs.getString(1), rs.getLong(2));
                    });
        }
        return holds;
    }

    private static void saveHolds(Shard shard, Iterable<Consumed> events, Map<String, Long> after, Map<String, Long> before) {
        Map<String, PaymentEvent> changed = new LinkedHashMap<>();
        for (Consumed consumed : events) {
            if (consumed.event().payload() instanceof PaymentEvent payment
                    && !after.getOrDefault(payment.paymentId(), 0L).equals(before.getOrDefault(payment.paymentId(), 0L))) {
                changed.put(payment.paymentId(), payment);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        List<String> ids = new ArrayList<>(changed.keySet());
        shard.jdbc().sql("""
                        INSERT INTO authorization_holds (payment_id, merchant_id, currency, outstanding_minor)
                        SELECT * FROM unnest(CAST(:ids AS text[]), CAST(:merchants AS text[]), CAST(:currencies AS text[]),
                                             CAST(:amounts AS bigint[]))
                        ON CONFLICT (payment_id) DO UPDATE SET outstanding_minor = EXCLUDED.outstanding_minor, updated_at = now()""")
                .param("ids", SqlArrays.text(ids))
                .param("merchants", SqlArrays.text(ids, id -> changed.get(id).merchantId()))
                .param("currencies", SqlArrays.text(ids, id -> changed.get(id).currency()))
                .param("amounts", SqlArrays.bigint(ids, after::get))
                .update();
    }

    /** Chains and appends the entries and moves the balances; returns them as chained. */
    private static List<JournalEntry> append(Shard shard, List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        ChainHead head = shard.jdbc().sql("SELECT last_sequence, last_hash FROM ledger_chain FOR UPDATE")
                .query((rs, n) -> new ChainHead(rs.getLong(1), ChainHash.hex(rs.getBytes(2)))).single();
        List<JournalEntry> chained = new ArrayList<>(entries.size());
        long sequence = head.sequence();
        String hash = head.hash();
        for (JournalEntry entry : entries) {
            sequence++;
            String next = ChainHash.of(hash, sequence, entry);
            chained.add(entry.chained(sequence, hash, next));
            hash = next;
        }
        new JdbcTemplate(shard.dataSource()).batchUpdate(
                "INSERT INTO journal_entries (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chained, 500, Journal::bind);
        shard.jdbc().sql("UPDATE ledger_chain SET last_sequence = :sequence, last_hash = :hash")
                .param("sequence", sequence).param("hash", ChainHash.bytes(hash)).update();
        moveBalances(shard, chained);
        return chained;
    }

    private record ChainHead(long sequence, String hash) {
    }

    private static void bind(PreparedStatement ps, JournalEntry entry) throws SQLException {
        Connection connection = ps.getConnection();
        ps.setString(1, entry.id());
        ps.setTimestamp(2, Timestamp.from(entry.createdAt()));
        ps.setString(3, entry.merchantId());
        ps.setString(4, entry.kind());
        ps.setString(5, entry.paymentId());
        ps.setString(6, entry.sourceEventId());
        ps.setString(7, entry.description());
        ps.setString(8, entry.acquirer());
        ps.setString(9, entry.authorizationReference());
        ps.setString(10, entry.currency());
        ps.setLong(11, entry.amountMinor());
        ps.setLong(12, entry.feeMinor());
        ps.setArray(13, connection.createArrayOf("text", entry.postings().stream().map(Posting::account).toArray()));
        ps.setArray(14, connection.createArrayOf("text", entry.postings().stream().map(Posting::currency).toArray()));
        ps.setArray(15, connection.createArrayOf("bigint", entry.postings().stream().map(Posting::amountMinor).toArray()));
        ps.setLong(16, entry.sequence());
        ps.setBytes(17, ChainHash.bytes(entry.previousHash()));
        ps.setBytes(18, ChainHash.bytes(entry.hash()));
    }

    private static void moveBalances(Shard shard, List<JournalEntry> entries) {
        // Sorted account order: concurrent transactions lock balance rows in the same order.
        Map<String, Long> deltas = new TreeMap<>();
        for (JournalEntry entry : entries) {
            for (Posting posting : entry.postings()) {
                deltas.merge(posting.account(), posting.amountMinor(), Math::addExact);
            }
        }
        deltas.values().removeIf(delta -> delta == 0);
        if (deltas.isEmpty()) {
            return;
        }
        List<String> codes = new ArrayList<>(deltas.keySet());
        shard.jdbc().sql("""
                        INSERT INTO accounts (code, kind, owner, currency, balance_minor)
                        SELECT * FROM unnest(CAST(:codes AS text[]), CAST(:kinds AS text[]), CAST(:owners AS text[]),
                                             CAST(:currencies AS text[]), CAST(:deltas AS bigint[]))
                        ON CONFLICT (code) DO UPDATE SET balance_minor = accounts.balance_minor + EXCLUDED.balance_minor,
                                                         updated_at = now()""")
                .param("codes", SqlArrays.text(codes))
                .param("kinds", SqlArrays.text(codes, Accounts::kindOf))
                .param("owners", SqlArrays.text(codes, Accounts::ownerOf))
                .param("currencies", SqlArrays.text(codes, Accounts::currencyOf))
                .param("deltas", SqlArrays.bigint(codes, deltas::get))
                .update();
    }

    public List<JournalEntry> entriesForPayment(String merchantId, String paymentId) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + COLUMNS + " FROM journal_entries WHERE merchant_id = :merchant AND payment_id = :payment ORDER BY sequence")
                .param("merchant", merchantId).param("payment", paymentId)
                .query(ROW).list();
    }

    /** A merchant's entries booked in [from, to), oldest first. */
    public List<JournalEntry> entriesForMerchant(String merchantId, Instant from, Instant to) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + COLUMNS + """
                         FROM journal_entries WHERE merchant_id = :merchant AND created_at >= :from AND created_at < :to
                        ORDER BY created_at, sequence""")
                .param("merchant", merchantId).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(ROW).list();
    }

    /** The balances of the merchant's own accounts just before {@code at}, from its entries. */
    public Map<String, Long> openingBalances(String merchantId, Instant at) {
        Map<String, Long> opening = new TreeMap<>();
        shards.forMerchant(merchantId).jdbc().sql("""
                        SELECT p.account, sum(p.amount) FROM journal_entries e,
                               unnest(e.posting_accounts, e.posting_amounts) AS p(account, amount)
                        WHERE e.merchant_id = :merchant AND e.created_at < :at GROUP BY p.account""")
                .param("merchant", merchantId).param("at", Timestamp.from(at))
                .query((ResultSet rs) -> {
                    if (merchantId.equals(Accounts.ownerOf(rs.getString(1)))) {
                        opening.put(rs.getString(1), rs.getLong(2));
                    }
                });
        return opening;
    }

    /** An account and its balance (debit positive). */
    public record Balance(String account, String kind, String owner, String currency, long balanceMinor) {
    }

    /** The merchant's own accounts. */
    public List<Balance> balances(String merchantId) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT code, kind, owner, currency, balance_minor FROM accounts WHERE owner = :owner ORDER BY code")
                .param("owner", merchantId)
                .query(BALANCE).list();
    }

    /** Accounts not owned by a merchant (Nightjar's and the acquirers'), summed over all shards. */
    public List<Balance> platformBalances() {
        Map<String, Balance> total = new TreeMap<>();
        for (Shard shard : shards.all()) {
            shard.jdbc().sql("""
                            SELECT code, kind, owner, currency, balance_minor FROM accounts
                            WHERE kind IN ('acquirer_receivable', 'fee_revenue', 'acquirer_fees', 'cash', 'suspense')""")
                    .query(BALANCE).list()
                    .forEach(b -> total.merge(b.account(), b, (x, y) -> new Balance(x.account(), x.kind(), x.owner(),
                            x.currency(), Math.addExact(x.balanceMinor(), y.balanceMinor()))));
        }
        return new ArrayList<>(total.values());
    }

    private static final RowMapper<Balance> BALANCE = (rs, n) ->
            new Balance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5));

    public static final RowMapper<JournalEntry> ROW = (rs, n) -> {
        String[] accounts = strings(rs.getArray("posting_accounts"));
        String[] currencies = strings(rs.getArray("posting_currencies"));
        Long[] amounts = (Long[]) rs.getArray("posting_amounts").getArray();
        List<Posting> postings = new ArrayList<>(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            postings.add(new Posting(accounts[i], amounts[i], currencies[i]));
        }
        return new JournalEntry(rs.getString("id"), rs.getTimestamp("created_at").toInstant(), rs.getString("merchant_id"),
                rs.getString("kind"), rs.getString("payment_id"), rs.getString("source_event_id"),
                rs.getString("description"), rs.getString("acquirer"), rs.getString("authorization_reference"),
                rs.getString("currency"), rs.getLong("amount_minor"), rs.getLong("fee_minor"), postings,
                rs.getLong("sequence"), hexOrNull(rs.getBytes("previous_hash")), hexOrNull(rs.getBytes("entry_hash")));
    };

    private static String hexOrNull(byte[] bytes) {
        return bytes == null ? null : ChainHash.hex(bytes);
    }

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
