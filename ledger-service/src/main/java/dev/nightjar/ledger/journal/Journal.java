package dev.nightjar.ledger.journal;

import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.RowMapper;

/**
 * The journal on its shards. A batch of events lands in one transaction per shard: the event ids are
 * marked processed (duplicates drop out right there), the entries appended, and the account balances
 * moved, all or nothing. Balance is enforced again by the database (CHECK on every entry).
 */
public final class Journal {

    private final Shards shards;

    public Journal(Shards shards) {
        this.shards = shards;
    }

    /** Records a batch of one shard's events exactly once; returns the entries written. */
    public List<JournalEntry> record(Shard shard, String consumer, List<EventEnvelope<PaymentEvent>> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        return shard.transactions().execute(status -> {
            List<String> ids = events.stream().map(EventEnvelope::eventId).toList();
            Set<String> fresh = new HashSet<>(shard.jdbc().sql("""
                            INSERT INTO processed_events (consumer, event_id)
                            SELECT :consumer, unnest(CAST(:ids AS text[]))
                            ON CONFLICT DO NOTHING RETURNING event_id""")
                    .param("consumer", consumer).param("ids", SqlArrays.text(ids))
                    .query(String.class).list());
            List<JournalEntry> entries = new ArrayList<>();
            for (EventEnvelope<PaymentEvent> event : events) {
                if (fresh.remove(event.eventId())) {
                    Bookkeeping.entryFor(event).ifPresent(entries::add);
                }
            }
            append(shard, entries);
            return entries;
        });
    }

    private static void append(Shard shard, List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Map<String, Long> deltas = new TreeMap<>();
        for (JournalEntry entry : entries) {
            shard.jdbc().sql("""
                            INSERT INTO journal_entries (id, created_at, merchant_id, kind, payment_id, source_event_id,
                                                         description, posting_accounts, posting_currencies, posting_amounts)
                            VALUES (:id, :created, :merchant, :kind, :payment, :source, :description,
                                    CAST(:accounts AS text[]), CAST(:currencies AS text[]), CAST(:amounts AS bigint[]))""")
                    .param("id", entry.id()).param("created", Timestamp.from(entry.createdAt()))
                    .param("merchant", entry.merchantId()).param("kind", entry.kind()).param("payment", entry.paymentId())
                    .param("source", entry.sourceEventId()).param("description", entry.description())
                    .param("accounts", SqlArrays.text(entry.postings().stream().map(Posting::account).toList()))
                    .param("currencies", SqlArrays.text(entry.postings().stream().map(Posting::currency).toList()))
                    .param("amounts", SqlArrays.bigint(entry.postings().stream().map(Posting::amountMinor).toList()))
                    .update();
            for (Posting posting : entry.postings()) {
                deltas.merge(posting.account(), posting.amountMinor(), Math::addExact);
            }
        }
        // Sorted account order: concurrent batches lock balance rows in the same order and never deadlock.
        for (Map.Entry<String, Long> delta : deltas.entrySet()) {
            String code = delta.getKey();
            shard.jdbc().sql("""
                            INSERT INTO accounts (code, kind, owner, currency, balance_minor) VALUES (:code, :kind, :owner, :currency, :delta)
                            ON CONFLICT (code) DO UPDATE SET balance_minor = accounts.balance_minor + EXCLUDED.balance_minor,
                                                             updated_at = now()""")
                    .param("code", code).param("kind", Accounts.kindOf(code)).param("owner", Accounts.ownerOf(code))
                    .param("currency", Accounts.currencyOf(code)).param("delta", delta.getValue())
                    .update();
        }
    }

    public List<JournalEntry> entriesForPayment(String merchantId, String paymentId) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT * FROM journal_entries WHERE merchant_id = :merchant AND payment_id = :payment ORDER BY id")
                .param("merchant", merchantId).param("payment", paymentId)
                .query(ROW).list();
    }

    /** An account and its balance. */
    public record Balance(String account, String kind, String currency, long balanceMinor) {
    }

    public List<Balance> balances(String merchantId) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT code, kind, currency, balance_minor FROM accounts WHERE owner = :owner ORDER BY code")
                .param("owner", merchantId)
                .query((rs, n) -> new Balance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)))
                .list();
    }

    private static final RowMapper<JournalEntry> ROW = (rs, n) -> {
        String[] accounts = strings(rs.getArray("posting_accounts"));
        String[] currencies = strings(rs.getArray("posting_currencies"));
        Long[] amounts = (Long[]) rs.getArray("posting_amounts").getArray();
        List<Posting> postings = new ArrayList<>(accounts.length);
        for (int i = 0; i < accounts.length; i++) {
            postings.add(new Posting(accounts[i], amounts[i], currencies[i]));
        }
        return new JournalEntry(rs.getString("id"), rs.getTimestamp("created_at").toInstant(), rs.getString("merchant_id"),
                rs.getString("kind"), rs.getString("payment_id"), rs.getString("source_event_id"),
                rs.getString("description"), postings);
    };

    private static String[] strings(Array array) throws SQLException {
        return (String[]) array.getArray();
    }
}
