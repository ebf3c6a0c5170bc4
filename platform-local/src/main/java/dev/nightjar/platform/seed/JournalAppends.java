package dev.nightjar.platform.seed;

import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.contracts.event.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Seeded entries appended to one ledger shard's journal the way ledger-service's {@code Journal} appends them. */
final class JournalAppends {

    /** What one append wrote: entries, and rows of every table together. */
    record Appended(long entries, long rows) {
    }

    private static final String JOURNAL = """
            journal_entries (id, created_at, merchant_id, kind, payment_id, source_event_id, description, acquirer,
            authorization_reference, currency, amount_minor, fee_minor, posting_accounts, posting_currencies,
            posting_amounts, sequence, previous_hash, entry_hash)""";

    /** ledger-service's consumer name in its {@code processed_events}. */
    static final String CONSUMER = "ledger-service";

    private JournalAppends() {
    }

    /**
     * Appends entries to the shard's journal as ledger-service does: under the chain head's row lock, each hashed
     * onto the one before, the head moved to the last, account balances moved by the postings (rows locked in code
     * order), the events marked processed, and the authorization holds of {@code payments} saved, in one transaction.
     */
    static Appended append(Connection ledger, List<SeedEntry> entries, List<SeedPayment> payments) throws SQLException {
        if (entries.isEmpty()) {
            return new Appended(0, 0);
        }
        List<SeedEntry> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparing(SeedEntry::createdAt).thenComparing(SeedEntry::id));
        List<LedgerChain.Chained> chained = LedgerChain.extend(head(ledger), ordered);
        CopyRows journal = new CopyRows(JOURNAL);
        CopyRows processed = new CopyRows("processed_events (consumer, event_id, processed_at, topic)");
        Set<String> events = new HashSet<>();
        Map<String, Long> deltas = new TreeMap<>();
        for (LedgerChain.Chained link : chained) {
            SeedEntry entry = link.entry();
            journalRow(journal, link);
            if (events.add(entry.sourceEventId())) {
                processed.text(CONSUMER).text(entry.sourceEventId()).time(entry.createdAt())
                        .text(entry.paymentId() == null ? "settlement_events" : "payment_events").endRow();
            }
            for (SeedEntry.Posting posting : entry.postings()) {
                deltas.merge(posting.account(), posting.amountMinor(), Math::addExact);
            }
        }
        long written = journal.copy(ledger) + processed.copy(ledger);
        LedgerChain.Chained last = chained.get(chained.size() - 1);
        try (PreparedStatement statement = ledger.prepareStatement("UPDATE ledger_chain SET last_sequence = ?, last_hash = ?")) {
            statement.setLong(1, last.sequence());
            statement.setBytes(2, ChainHash.bytes(last.hash()));
            statement.executeUpdate();
        }
        written += moveBalances(ledger, deltas) + saveHolds(ledger, payments);
        ledger.commit();
        return new Appended(chained.size(), written);
    }

    static LedgerChain.Head head(Connection ledger) throws SQLException {
        try (Statement statement = ledger.createStatement();
             ResultSet rows = statement.executeQuery("SELECT last_sequence, last_hash FROM ledger_chain FOR UPDATE")) {
            if (!rows.next()) {
                throw new IllegalStateException("the ledger has no chain head: its migrations have not run");
            }
            return new LedgerChain.Head(rows.getLong(1), ChainHash.hex(rows.getBytes(2)));
        }
    }

    private static void journalRow(CopyRows journal, LedgerChain.Chained link) {
        SeedEntry entry = link.entry();
        List<String> accounts = new ArrayList<>(entry.postings().size());
        List<String> currencies = new ArrayList<>(entry.postings().size());
        long[] amounts = new long[entry.postings().size()];
        for (int i = 0; i < amounts.length; i++) {
            SeedEntry.Posting posting = entry.postings().get(i);
            accounts.add(posting.account());
            currencies.add(posting.currency());
            amounts[i] = posting.amountMinor();
        }
        journal.text(entry.id()).time(entry.createdAt()).text(entry.merchantId()).text(entry.kind()).text(entry.paymentId())
                .text(entry.sourceEventId()).text(entry.description()).text(entry.acquirer()).text(entry.authorizationReference())
                .text(entry.currency()).number(entry.amountMinor()).number(entry.feeMinor()).textArray(accounts)
                .textArray(currencies).numberArray(amounts).number(link.sequence()).bytes(ChainHash.bytes(link.previousHash()))
                .bytes(ChainHash.bytes(link.hash())).endRow();
    }

    private static long moveBalances(Connection ledger, Map<String, Long> deltas) throws SQLException {
        List<Map.Entry<String, Long>> moved = deltas.entrySet().stream().filter(delta -> delta.getValue() != 0).toList();
        return Unnest.run(ledger, """
                        INSERT INTO accounts (code, kind, owner, currency, balance_minor)
                        SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]),
                                             CAST(? AS bigint[]))
                        ON CONFLICT (code) DO UPDATE SET balance_minor = accounts.balance_minor + EXCLUDED.balance_minor,
                                                         updated_at = now()""",
                moved, (delta, columns) -> {
                    String code = delta.getKey();
                    columns.get(0).add(code);
                    columns.get(1).add(code.substring(0, code.indexOf(':')));
                    columns.get(2).add(code.substring(code.indexOf(':') + 1, code.lastIndexOf(':')));
                    columns.get(3).add(code.substring(code.lastIndexOf(':') + 1));
                    columns.get(4).add(delta.getValue());
                }, "text", "text", "text", "text", "bigint");
    }

    /** The authorization hold of each manually captured payment: outstanding while authorized, else released. */
    private static long saveHolds(Connection ledger, List<SeedPayment> payments) throws SQLException {
        List<SeedPayment> held = payments.stream()
                .filter(payment -> payment.events().stream().anyMatch(event -> event.type() == EventType.PAYMENT_AUTHORIZED))
                .toList();
        return Unnest.run(ledger, """
                        INSERT INTO authorization_holds (payment_id, merchant_id, currency, outstanding_minor, updated_at)
                        SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]),
                                             CAST(CAST(? AS text[]) AS timestamptz[]))
                        ON CONFLICT (payment_id) DO UPDATE
                        SET outstanding_minor = EXCLUDED.outstanding_minor, updated_at = EXCLUDED.updated_at""",
                held, (payment, columns) -> {
                    columns.get(0).add(payment.id());
                    columns.get(1).add(payment.merchant().id());
                    columns.get(2).add(payment.currency());
                    columns.get(3).add(payment.capturableMinor());
                    columns.get(4).add(lastHoldChange(payment).toString());
                }, "text", "text", "text", "bigint", "text");
    }

    private static Instant lastHoldChange(SeedPayment payment) {
        Instant last = payment.createdAt();
        for (SeedPayment.Event event : payment.events()) {
            if (event.type() == EventType.PAYMENT_AUTHORIZED || event.type() == EventType.PAYMENT_CAPTURED
                    || event.type() == EventType.PAYMENT_CANCELED) {
                last = event.at();
            }
        }
        return last;
    }
}
