package dev.nightjar.settlement.batch;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.outbox.Outbox;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.settlement.item.SettlementItem;
import dev.nightjar.settlement.reconcile.Outcome;
import dev.nightjar.settlement.reconcile.ReconciliationRow;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Settlement batches in PostgreSQL. Every step change is one transaction that moves the batch from the
 * step it must be at (a guarded {@code UPDATE}) and stores what the step produced; when the guard finds the
 * batch elsewhere (another run got there first) nothing is stored. Bulk rows travel as arrays: one
 * statement per table per step, whatever the batch's size.
 */
public final class BatchRepository {

    /** Serializes cut-offs across replicas: items are gathered into batches by one run at a time. */
    private static final long GATHER_LOCK = 0x4E4A_5345_5454_4C45L;

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations named;
    private final TransactionTemplate transactions;
    private final OutboxSignal outbox;

    public BatchRepository(JdbcClient jdbc, NamedParameterJdbcOperations named, TransactionTemplate transactions,
                           OutboxSignal outbox) {
        this.outbox = outbox;
        this.jdbc = jdbc;
        this.named = named;
        this.transactions = transactions;
    }

    /**
     * Gathers every unbatched item booked before {@code cutoff} into batches, one per acquirer and currency
     * (more when a group exceeds {@code maxLines}), in one transaction. Returns the new batches' ids.
     */
    public List<String> gather(Instant cutoff, int maxLines) {
        return transactions.execute(status -> {
            jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked").param("key", GATHER_LOCK)
                    .query(Integer.class).single();
            record Group(String acquirer, String currency, long items) {
            }
            List<Group> groups = jdbc.sql("""
                            SELECT acquirer, currency, count(*) FROM settlement_items
                            WHERE batch_id IS NULL AND booked_at < :cutoff
                            GROUP BY acquirer, currency ORDER BY acquirer, currency""")
                    .param("cutoff", Timestamp.from(cutoff))
                    .query((rs, n) -> new Group(rs.getString(1), rs.getString(2), rs.getLong(3)))
                    .list();
            List<String> created = new ArrayList<>();
            for (Group group : groups) {
                for (long left = group.items(); left > 0; left -= maxLines) {
                    created.add(createBatch(group.acquirer(), group.currency(), cutoff, maxLines));
                }
            }
            return created;
        });
    }

    private String createBatch(String acquirer, String currency, Instant cutoff, int maxLines) {
        String id = Ids.newId(Ids.SETTLEMENT_BATCH);
        jdbc.sql("""
                        INSERT INTO settlement_batches (id, acquirer, currency, cutoff_at, settlement_date, step, item_count,
                                                        items_amount_minor)
                        VALUES (:id, :acquirer, :currency, :cutoff, :date, 'created', 0, 0)""")
                .param("id", id).param("acquirer", acquirer).param("currency", currency)
                .param("cutoff", Timestamp.from(cutoff)).param("date", LocalDate.ofInstant(cutoff, ZoneOffset.UTC))
                .update();
        Integer items = jdbc.sql("""
                        WITH assigned AS (
                            UPDATE settlement_items SET batch_id = :id
                            WHERE entry_id IN (SELECT entry_id FROM settlement_items
                                               WHERE batch_id IS NULL AND acquirer = :acquirer AND currency = :currency
                                                 AND booked_at < :cutoff
                                               ORDER BY entry_id LIMIT :max)
                            RETURNING operation, amount_minor)
                        UPDATE settlement_batches
                        SET item_count = (SELECT count(*) FROM assigned),
                            items_amount_minor = (SELECT coalesce(sum(CASE operation WHEN 'refund' THEN -amount_minor
                                                                      ELSE amount_minor END), 0) FROM assigned)
                        WHERE id = :id RETURNING item_count""")
                .param("id", id).param("acquirer", acquirer).param("currency", currency)
                .param("cutoff", Timestamp.from(cutoff)).param("max", maxLines)
                .query(Integer.class).single();
        if (items == null || items < 1) {
            // the gather lock and the group just counted make this impossible; roll back rather than keep an empty batch
            throw new IllegalStateException("batch " + id + " of " + acquirer + "/" + currency + " gathered no item");
        }
        return id;
    }

    /** The batches that are not done, oldest first. */
    public List<String> unfinished() {
        return jdbc.sql("SELECT id FROM settlement_batches WHERE step <> 'done' ORDER BY id").query(String.class).list();
    }

    public Optional<Batch> find(String id) {
        return jdbc.sql("SELECT * FROM settlement_batches WHERE id = :id").param("id", id).query(BatchRepository::batch)
                .optional();
    }

    /** Up to {@code limit} batches, newest first, after {@code startingAfter} (a batch id) when given. */
    public List<Batch> list(String startingAfter, int limit) {
        return jdbc.sql("""
                        SELECT * FROM settlement_batches WHERE (:after = '' OR id < :after) ORDER BY id DESC LIMIT :limit""")
                .param("after", startingAfter == null ? "" : startingAfter).param("limit", limit)
                .query(BatchRepository::batch).list();
    }

    /** The batch's items, by entry id. */
    public List<SettlementItem> items(String batchId) {
        return jdbc.sql("""
                        SELECT entry_id, payment_id, merchant_id, acquirer, operation, amount_minor, fee_minor, currency,
                               authorization_reference, booked_at
                        FROM settlement_items WHERE batch_id = :batch ORDER BY entry_id""")
                .param("batch", batchId)
                .query((rs, n) -> new SettlementItem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getString(9),
                        rs.getTimestamp(10).toInstant()))
                .list();
    }

    /** created → submitted. */
    public boolean markSubmitted(String batchId) {
        return advance(batchId, BatchStep.CREATED, "submitted_at = now()", Map.of());
    }

    /** submitted → reported, with the report's lines, in one transaction. */
    public boolean storeReport(String batchId, List<SettlementReportLine> lines) {
        long amount = 0;
        long fees = 0;
        for (SettlementReportLine line : lines) {
            amount = Math.addExact(amount, line.amountMinor());
            fees = Math.addExact(fees, line.feeMinor());
        }
        Map<String, Object> totals = Map.of("lines", lines.size(), "amount", amount, "fees", fees);
        return inTransaction(() -> {
            if (!advance(batchId, BatchStep.SUBMITTED, """
                    reported_at = now(), report_line_count = :lines, reported_amount_minor = :amount,
                    acquirer_fee_minor = :fees""", totals)) {
                return false;
            }
            if (!lines.isEmpty()) {
                jdbc.sql("""
                                INSERT INTO settlement_report_lines (batch_id, line_no, reference, network_reference, merchant_id,
                                                                     operation, amount_minor, fee_minor)
                                SELECT :batch, n, reference, network_reference, merchant_id, operation, amount, fee
                                FROM unnest(CAST(:references AS text[]), CAST(:networkReferences AS text[]),
                                            CAST(:merchants AS text[]), CAST(:operations AS text[]),
                                            CAST(:amounts AS bigint[]), CAST(:fees AS bigint[]))
                                     WITH ORDINALITY AS line(reference, network_reference, merchant_id, operation, amount, fee, n)""")
                        .param("batch", batchId)
                        .param("references", SqlArrays.text(lines, SettlementReportLine::reference))
                        .param("networkReferences", SqlArrays.text(lines, SettlementReportLine::networkReference))
                        .param("merchants", SqlArrays.text(lines, SettlementReportLine::merchantId))
                        .param("operations", SqlArrays.text(lines, SettlementReportLine::operation))
                        .param("amounts", SqlArrays.bigint(lines, SettlementReportLine::amountMinor))
                        .param("fees", SqlArrays.bigint(lines, SettlementReportLine::feeMinor))
                        .update();
            }
            return true;
        });
    }

    /** The stored report, in the acquirer's order. */
    public List<SettlementReportLine> reportLines(String batchId) {
        return jdbc.sql("""
                        SELECT reference, network_reference, merchant_id, operation, amount_minor, fee_minor
                        FROM settlement_report_lines WHERE batch_id = :batch ORDER BY line_no""")
                .param("batch", batchId)
                .query((rs, n) -> new SettlementReportLine(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)))
                .list();
    }

    /** reported → reconciled, with one row per item or line and the count of each outcome, in one transaction. */
    public boolean storeReconciliation(String batchId, List<ReconciliationRow> rows) {
        Map<Outcome, Integer> counts = count(rows);
        Map<String, Object> columns = new LinkedHashMap<>();
        counts.forEach((outcome, count) -> columns.put(outcome.wireName(), count));
        return inTransaction(() -> {
            if (!advance(batchId, BatchStep.REPORTED, """
                    reconciled_at = now(), matched_count = :matched, missing_at_acquirer_count = :missing_at_acquirer,
                    missing_in_nightjar_count = :missing_in_nightjar, amount_mismatch_count = :amount_mismatch,
                    fee_mismatch_count = :fee_mismatch""", columns)) {
                return false;
            }
            if (!rows.isEmpty()) {
                jdbc.sql("""
                                INSERT INTO settlement_reconciliation (batch_id, line_no, outcome, reference, payment_id,
                                    merchant_id, operation, network_reference, expected_amount_minor, reported_amount_minor,
                                    expected_fee_minor, reported_fee_minor, merchant_fee_minor, action)
                                SELECT :batch, * FROM unnest(CAST(:lineNos AS bigint[]), CAST(:outcomes AS text[]),
                                    CAST(:references AS text[]), CAST(:payments AS text[]), CAST(:merchants AS text[]),
                                    CAST(:operations AS text[]), CAST(:networkReferences AS text[]),
                                    CAST(:expectedAmounts AS bigint[]), CAST(:reportedAmounts AS bigint[]),
                                    CAST(:expectedFees AS bigint[]), CAST(:reportedFees AS bigint[]),
                                    CAST(:merchantFees AS bigint[]), CAST(:actions AS text[]))""")
                        .param("batch", batchId)
                        .param("lineNos", SqlArrays.bigint(rows, row -> (long) row.lineNo()))
                        .param("outcomes", SqlArrays.text(rows, row -> row.outcome().wireName()))
                        .param("references", SqlArrays.text(rows, ReconciliationRow::reference))
                        .param("payments", SqlArrays.text(rows, ReconciliationRow::paymentId))
                        .param("merchants", SqlArrays.text(rows, ReconciliationRow::merchantId))
                        .param("operations", SqlArrays.text(rows, ReconciliationRow::operation))
                        .param("networkReferences", SqlArrays.text(rows, ReconciliationRow::networkReference))
                        .param("expectedAmounts", SqlArrays.bigint(rows, ReconciliationRow::expectedAmountMinor))
                        .param("reportedAmounts", SqlArrays.bigint(rows, ReconciliationRow::reportedAmountMinor))
                        .param("expectedFees", SqlArrays.bigint(rows, ReconciliationRow::expectedFeeMinor))
                        .param("reportedFees", SqlArrays.bigint(rows, ReconciliationRow::reportedFeeMinor))
                        .param("merchantFees", SqlArrays.bigint(rows, ReconciliationRow::merchantFeeMinor))
                        .param("actions", SqlArrays.text(rows, ReconciliationRow::action))
                        .update();
            }
            return true;
        });
    }

    static Map<Outcome, Integer> count(List<ReconciliationRow> rows) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        rows.forEach(row -> counts.merge(row.outcome(), 1, Integer::sum));
        return counts;
    }

    /** The batch's reconciliation rows in order, all of them or those of one outcome. */
    public void forEachRow(String batchId, Outcome only, boolean exceptionsOnly, Consumer<ReconciliationRow> action) {
        jdbc.sql("""
                        SELECT line_no, outcome, reference, payment_id, merchant_id, operation, network_reference,
                               expected_amount_minor, reported_amount_minor, expected_fee_minor, reported_fee_minor,
                               merchant_fee_minor, action
                        FROM settlement_reconciliation
                        WHERE batch_id = :batch AND (:outcome = '' OR outcome = :outcome) AND (NOT :exceptions OR action IS NOT NULL)
                        ORDER BY line_no""")
                .param("batch", batchId).param("outcome", only == null ? "" : only.wireName())
                .param("exceptions", exceptionsOnly)
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> {
                    action.accept(new ReconciliationRow(rs.getInt(1), Outcome.of(rs.getString(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), nullableLong(rs, 8),
                            nullableLong(rs, 9), nullableLong(rs, 10), nullableLong(rs, 11), nullableLong(rs, 12),
                            rs.getString(13)));
                });
    }

    public List<ReconciliationRow> reconciliation(String batchId) {
        List<ReconciliationRow> rows = new ArrayList<>();
        forEachRow(batchId, null, false, rows::add);
        return rows;
    }

    /**
     * reconciled → posted, with the settlement events in the outbox and their ids on record, in one
     * transaction: the events exist exactly when the step does, once per batch.
     */
    public boolean post(String batchId, List<EventEnvelope<SettlementEvent>> events) {
        return inTransaction(() -> {
            if (!advance(batchId, BatchStep.RECONCILED, "posted_at = now()", Map.of())) {
                return false;
            }
            if (!events.isEmpty()) {
                jdbc.sql("""
                                INSERT INTO settlement_batch_events (event_id, batch_id, event_type, merchant_id, payment_id)
                                SELECT event_id, :batch, event_type, merchant_id, payment_id
                                FROM unnest(CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:merchants AS text[]),
                                            CAST(:payments AS text[])) AS e(event_id, event_type, merchant_id, payment_id)""")
                        .param("batch", batchId)
                        .param("ids", SqlArrays.text(events, EventEnvelope::eventId))
                        .param("types", SqlArrays.text(events, EventEnvelope::type))
                        .param("merchants", SqlArrays.text(events, event -> event.payload().merchantId()))
                        .param("payments", SqlArrays.text(events, event -> event.payload().paymentId()))
                        .update();
                Outbox.appendAll(named, Topics.SETTLEMENT_EVENTS, events);
                outbox.written();
            }
            return true;
        });
    }

    /** None of the batch's events is still waiting in the outbox. */
    public boolean eventsPublished(String batchId) {
        return Boolean.TRUE.equals(jdbc.sql("""
                        SELECT NOT EXISTS (SELECT 1 FROM outbox
                                           WHERE event_id IN (SELECT event_id FROM settlement_batch_events WHERE batch_id = :batch))""")
                .param("batch", batchId).query(Boolean.class).single());
    }

    /** posted → done, once its events are published. */
    public boolean finish(String batchId) {
        return advance(batchId, BatchStep.POSTED, "done_at = now()", Map.of());
    }

    /** Notes a failed attempt at the batch's next step; the batch stays where it is. */
    public void recordFailure(String batchId, String error) {
        jdbc.sql("UPDATE settlement_batches SET attempts = attempts + 1, last_error = left(:error, 1000) WHERE id = :id")
                .param("id", batchId).param("error", error == null ? "unknown failure" : error).update();
    }

    private boolean advance(String batchId, BatchStep from, String setColumns, Map<String, Object> params) {
        return jdbc.sql("UPDATE settlement_batches SET step = :next, attempts = 0, last_error = NULL, " + setColumns
                        + " WHERE id = :id AND step = :from")
                .params(params).param("id", batchId).param("from", from.wireName()).param("next", from.next().wireName())
                .update() == 1;
    }

    private boolean inTransaction(java.util.function.BooleanSupplier work) {
        return Boolean.TRUE.equals(transactions.execute(status -> work.getAsBoolean()));
    }

    private static Batch batch(ResultSet rs, int row) throws SQLException {
        Map<String, Integer> outcomes = null;
        if (rs.getObject("matched_count") != null) {
            outcomes = new LinkedHashMap<>();
            for (Outcome outcome : Outcome.values()) {
                outcomes.put(outcome.wireName(), rs.getInt(outcome.wireName() + "_count"));
            }
        }
        return new Batch(rs.getString("id"), Batch.OBJECT, rs.getString("acquirer"), rs.getString("currency"),
                instant(rs, "cutoff_at"), rs.getObject("settlement_date", LocalDate.class), BatchStep.of(rs.getString("step")),
                rs.getInt("item_count"), rs.getLong("items_amount_minor"), (Integer) rs.getObject("report_line_count"),
                nullableLong(rs, rs.findColumn("reported_amount_minor")), nullableLong(rs, rs.findColumn("acquirer_fee_minor")),
                outcomes, rs.getInt("attempts"), rs.getString("last_error"), instant(rs, "created_at"),
                instant(rs, "submitted_at"), instant(rs, "reported_at"), instant(rs, "reconciled_at"),
                instant(rs, "posted_at"), instant(rs, "done_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
