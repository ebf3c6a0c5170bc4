package dev.nightjar.transaction.payment;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.jdbc.SqlValues;
import dev.nightjar.common.outbox.Outbox;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.PaymentRetryEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Effect;
import dev.nightjar.transaction.domain.InquirySchedule;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.Refund;
import dev.nightjar.transaction.domain.Transition;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.RowMapper;

/**
 * Payments on their merchant's shard. Every write is one statement that commits the state change
 * together with the events announcing it (transactional outbox); every update is conditional on the
 * version it read.
 */
public final class PaymentRepository {

    private static final String COLUMNS = """
            id, created_at, merchant_id, status, capture_method, amount_minor, currency, amount_capturable_minor,
            amount_captured_minor, amount_refunded_minor, amount_refunding_minor, token, card_brand, card_bin, card_last4, card_exp_month,
            card_exp_year, card_fingerprint, risk_score, risk_decision, risk_reasons, risk_fallback, acquirer,
            network_reference, authorization_code, failure_code, decline_code, failure_message, reference,
            description, metadata, idempotency_key, operation_amount_minor, operation_key, operation_claim, updated_at, version""";

    private final Shards shards;
    private final InquirySchedule inquiries;
    private final PaymentEvents events;
    private final PaymentOutcomes outcomes;
    private final List<OutboxSignal> outboxes;

    public PaymentRepository(Shards shards, PaymentEvents events, InquirySchedule inquiries, PaymentOutcomes outcomes) {
        this.outboxes = shards.all().stream().map(shard -> new OutboxSignal()).toList();
        this.inquiries = inquiries;
        this.shards = shards;
        this.events = events;
        this.outcomes = outcomes;
    }

    /** The payment already created under this idempotency key, if any. */
    public Optional<Payment> findByIdempotencyKey(String merchantId, String idempotencyKey) {
        return shards.forMerchant(merchantId).jdbc().sql("SELECT payment_id FROM payment_keys WHERE merchant_id = :merchant AND idempotency_key = :key")
                .param("merchant", merchantId).param("key", idempotencyKey)
                .query(String.class).optional()
                .flatMap(paymentId -> find(merchantId, paymentId));
    }

    /**
     * Inserts a new payment with its idempotency key and events, all or nothing, in one statement. Returns
     * false, writing nothing, when another request already took the key.
     */
    public boolean insert(Transition created) {
        Payment payment = created.payment();
        Map<String, Object> params = parameters(payment);
        StringBuilder sql = new StringBuilder("WITH ");
        String guard = "";
        if (payment.idempotencyKey() != null) {
            sql.append("""
                    claimed AS (INSERT INTO payment_keys (merchant_id, idempotency_key, payment_id)
                                VALUES (:merchant_id, :idempotency_key, :id) ON CONFLICT DO NOTHING RETURNING 1), """);
            guard = " WHERE EXISTS (SELECT 1 FROM claimed)";
        }
        sql.append("inserted AS (INSERT INTO payments (").append(COLUMNS).append(") SELECT ").append(PLACEHOLDERS)
                .append(guard).append(" RETURNING 1)");
        appendEvents(sql, "inserted", created, params);
        sql.append(" SELECT count(*) FROM inserted");
        return committed(created, count(payment.merchantId(), sql, params));
    }

    /** Writes the transition if the payment is still at {@code expectedVersion}, in one statement; false when someone else changed it first. */
    public boolean update(Transition transition, long expectedVersion) {
        Payment payment = transition.payment();
        Map<String, Object> params = parameters(payment);
        params.put("expected", expectedVersion);
        StringBuilder sql = new StringBuilder(UPDATE_PAYMENT);
        appendEvents(sql, "updated", transition, params);
        sql.append(" SELECT count(*) FROM updated");
        return committed(transition, count(payment.merchantId(), sql, params));
    }

    /**
     * Reserves a refund against the payment (still at {@code expectedVersion}) and stores it, with its
     * idempotency key, in one statement. Empty when the payment changed first; the existing refund when the
     * key was taken.
     */
    public ReserveResult reserveRefund(Transition reserved, long expectedVersion) {
        Payment payment = reserved.payment();
        Refund refund = reserved.refund();
        Map<String, Object> params = parameters(payment);
        params.put("expected", expectedVersion);
        params.putAll(refundParameters(refund));
        StringBuilder sql = new StringBuilder();
        String guard = "";
        if (refund.idempotencyKey() != null) {
            sql.append("""
                    WITH claimed AS (INSERT INTO refund_keys (merchant_id, idempotency_key, refund_id)
                                     VALUES (:merchant_id, :refund_key, :refund_id) ON CONFLICT DO NOTHING RETURNING 1), """);
            guard = " AND EXISTS (SELECT 1 FROM claimed)";
        } else {
            sql.append("WITH ");
        }
        sql.append(UPDATE_PAYMENT.substring("WITH ".length()).replace("AND version = :expected", "AND version = :expected" + guard));
        sql.append(", inserted AS (INSERT INTO refunds (id, created_at, payment_id, merchant_id, amount_minor, currency, reason,")
                .append(" status, idempotency_key, updated_at) SELECT :refund_id, :refund_created, :id, :merchant_id,")
                .append(" :refund_amount, :currency, :refund_reason, 'PENDING', :refund_key, :updated_at FROM updated RETURNING 1)");
        sql.append(" SELECT count(*) FROM inserted");
        if (count(payment.merchantId(), sql, params) == 1) {
            return ReserveResult.RESERVED;
        }
        if (refund.idempotencyKey() != null && findRefundByKey(payment.merchantId(), refund.idempotencyKey()).isPresent()) {
            return ReserveResult.KEY_TAKEN;
        }
        return ReserveResult.PAYMENT_CHANGED;
    }

    /** What became of a reservation. */
    public enum ReserveResult { RESERVED, KEY_TAKEN, PAYMENT_CHANGED }

    /** Applies a refund's outcome to the payment and the refund, with its event, in one statement. */
    public boolean finishRefund(Transition finished, long expectedVersion) {
        Payment payment = finished.payment();
        Refund refund = finished.refund();
        Map<String, Object> params = parameters(payment);
        params.put("expected", expectedVersion);
        params.putAll(refundParameters(refund));
        StringBuilder sql = new StringBuilder(UPDATE_PAYMENT);
        sql.append("""
                , refund_updated AS (
                    UPDATE refunds SET status = :refund_status, failure_reason = :refund_failure,
                        network_reference = :refund_network, updated_at = :updated_at
                    WHERE id = :refund_id AND created_at = :refund_created AND status = 'PENDING'
                      AND EXISTS (SELECT 1 FROM updated)
                    RETURNING 1)""");
        appendEvents(sql, "refund_updated", finished, params);
        sql.append(" SELECT count(*) FROM refund_updated");
        return committed(finished, count(payment.merchantId(), sql, params));
    }

    private static final String UPDATE_PAYMENT = """
                WITH updated AS (
                    UPDATE payments SET status = :status, amount_capturable_minor = :capturable,
                        amount_captured_minor = :captured, amount_refunded_minor = :refunded,
                        amount_refunding_minor = :amount_refunding_minor,
                        risk_score = :risk_score, risk_decision = :risk_decision, risk_reasons = CAST(:risk_reasons AS text[]),
                        risk_fallback = :risk_fallback, acquirer = :acquirer,
                        network_reference = :network_reference, authorization_code = :authorization_code,
                        failure_code = :failure_code, decline_code = :decline_code,
                        failure_message = :failure_message, operation_amount_minor = :operation_amount_minor,
                        operation_key = :operation_key, operation_claim = :operation_claim, updated_at = :updated_at, version = :version
                    WHERE id = :id AND created_at = :created_at AND version = :expected
                    RETURNING 1)""";

    public Optional<Payment> find(String merchantId, String paymentId) {
        if (!Ids.isValid(paymentId, Ids.PAYMENT)) {
            return Optional.empty();
        }
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + COLUMNS + " FROM payments WHERE id = :id AND created_at = :created AND merchant_id = :merchant")
                .param("id", paymentId)
                .param("created", Timestamp.from(Ids.timestampOf(paymentId)))
                .param("merchant", merchantId)
                .query(ROW)
                .optional();
    }

    /**
     * Of {@code payments} (payment id to merchant id), the ids of those pending now: one statement for each shard
     * they are on, whatever their number, where a look-up each would cost a statement each.
     */
    public Set<String> pendingAmong(Map<String, String> payments) {
        Map<Shard, List<String>> byShard = new HashMap<>();
        payments.forEach((paymentId, merchantId) -> {
            if (Ids.isValid(paymentId, Ids.PAYMENT)) {
                byShard.computeIfAbsent(shards.forMerchant(merchantId), shard -> new ArrayList<>()).add(paymentId);
            }
        });
        Set<String> pending = new HashSet<>();
        byShard.forEach((shard, ids) -> pending.addAll(shard.jdbc().sql("""
                        SELECT id FROM payments
                        WHERE id = ANY(CAST(:ids AS text[])) AND created_at = ANY(CAST(:created AS timestamptz[]))
                          AND status = 'PENDING'""")
                .param("ids", SqlArrays.text(ids))
                .param("created", SqlArrays.text(ids, id -> Ids.timestampOf(id).toString()))
                .query(String.class).list()));
        return pending;
    }

    /**
     * Payments still waiting for an acquirer's answer to be applied (authorizing, pending, capturing,
     * canceling) or to be processed (received) with no change for {@code olderThan}, oldest first, from one shard; after the row
     * ({@code afterAt}, {@code afterId}) when paging.
     */
    public List<Payment> unresolved(int shard, java.time.Duration olderThan, int limit, Instant afterAt, String afterId) {
        return shards.get(shard).jdbc().sql("SELECT " + COLUMNS + """
                         FROM payments
                        WHERE status IN ('RECEIVED', 'AUTHORIZING', 'PENDING', 'CAPTURING', 'CANCELING')
                          AND updated_at < now() - make_interval(secs => :age)""" + AFTER_CURSOR)
                .params(cursor(olderThan, limit, afterAt, afterId))
                .query(ROW).list();
    }

    /** Refunds whose acquirer answer is not known for {@code olderThan}, oldest first, from one shard; paged as above. */
    public List<Refund> pendingRefunds(int shard, java.time.Duration olderThan, int limit, Instant afterAt, String afterId) {
        return shards.get(shard).jdbc().sql("SELECT " + REFUND_COLUMNS + """
                         FROM refunds
                        WHERE status = 'PENDING' AND updated_at < now() - make_interval(secs => :age)""" + AFTER_CURSOR)
                .params(cursor(olderThan, limit, afterAt, afterId))
                .query(REFUND_ROW).list();
    }

    private static final String AFTER_CURSOR = """

                          AND (CAST(:after_at AS timestamptz) IS NULL OR (updated_at, id) > (:after_at, :after_id))
                        ORDER BY updated_at, id LIMIT :limit""";

    private static Map<String, Object> cursor(java.time.Duration olderThan, int limit, Instant afterAt, String afterId) {
        Map<String, Object> params = new java.util.HashMap<>();
        params.put("age", (double) olderThan.toMillis() / 1000);
        params.put("limit", limit);
        params.put("after_at", afterAt == null ? null : Timestamp.from(afterAt));
        params.put("after_id", afterId);
        return params;
    }

    /** Raised whenever this repository commits events to the outbox of shard {@code index}: for that shard's relay. */
    public OutboxSignal outboxSignal(int index) {
        return outboxes.get(index);
    }

    /** How many shards there are, for jobs that walk them one by one. */
    public int shardCount() {
        return shards.count();
    }

    private void appendEvents(StringBuilder sql, String guard, Transition transition, Map<String, Object> params) {
        Payment payment = transition.payment();
        if (!transition.eventTypes().isEmpty()) {
            List<EventEnvelope<PaymentEvent>> envelopes = transition.eventTypes().stream()
                    .map(type -> EventCodec.envelope(type.wire(), payment.merchantId(), events.payload(transition),
                            events.traceparent()))
                    .toList();
            sql.append(", ").append(Outbox.appendAfter(guard, Topics.PAYMENT_EVENTS, envelopes, params));
        }
        List<EventEnvelope<PaymentRetryEvent>> inquiries = new ArrayList<>();
        List<EventEnvelope<PaymentEvent>> requests = new ArrayList<>();
        for (Effect effect : transition.effects()) {
            switch (effect) {
                case Effect.Inquire inquire -> inquiries.add(inquiry(payment, inquire, payment.updatedAt()));
                case Effect.Process process -> requests.add(EventCodec.envelope(EventType.PAYMENT_REQUESTED.wire(),
                        payment.merchantId(), events.payload(transition), events.traceparent()));
            }
        }
        if (!inquiries.isEmpty()) {
            sql.append(", ").append(Outbox.appendAfter(guard, "fx", Topics.PAYMENT_RETRIES, inquiries, params));
        }
        if (!requests.isEmpty()) {
            sql.append(", ").append(Outbox.appendAfter(guard, "rq", Topics.PAYMENT_REQUESTS, requests, params));
        }
    }

    /**
     * Queues {@code inquiry} about {@code payment}, due by the schedule counted from {@code from}, through the
     * outbox of the payment's shard: on its own, for an inquiry that follows an earlier one.
     */
    public void queue(Payment payment, Effect.Inquire inquiry, Instant from) {
        Shard shard = shards.forMerchant(payment.merchantId());
        Outbox.append(shard.jdbc(), Topics.PAYMENT_RETRIES, inquiry(payment, inquiry, from));
        outboxes.get(shard.index()).written();
    }

    /** Puts an inquiry back on the queue unchanged but for when it is due (it came too early, or auth-service is away). */
    public void requeue(PaymentRetryEvent retry, Instant notBefore) {
        PaymentRetryEvent later = new PaymentRetryEvent(retry.paymentId(), retry.merchantId(), retry.operation(), retry.acquirer(),
                retry.networkReference(), retry.attempt(), notBefore);
        Shard shard = shards.forMerchant(retry.merchantId());
        Outbox.append(shard.jdbc(), Topics.PAYMENT_RETRIES, envelope(later));
        outboxes.get(shard.index()).written();
    }

    private EventEnvelope<PaymentRetryEvent> inquiry(Payment payment, Effect.Inquire inquiry, Instant from) {
        return envelope(new PaymentRetryEvent(payment.id(), payment.merchantId(), "authorize", null, null,
                inquiry.attempt(), inquiries.due(inquiry, from)));
    }

    private EventEnvelope<PaymentRetryEvent> envelope(PaymentRetryEvent inquiry) {
        return EventCodec.envelope(EventType.PAYMENT_INQUIRY.wire(), inquiry.merchantId(), inquiry, events.traceparent());
    }

    /** True when the statement changed the payment ({@code rows} is 1): its outcome, if any, is counted then. */
    private boolean committed(Transition transition, long rows) {
        if (rows != 1) {
            return false;
        }
        outcomes.committed(transition);
        if (!transition.eventTypes().isEmpty() || !transition.effects().isEmpty()) {
            outboxes.get(shards.forMerchant(transition.payment().merchantId()).index()).written();
        }
        return true;
    }

    private long count(String merchantId, StringBuilder sql, Map<String, Object> params) {
        Long rows = shards.forMerchant(merchantId).jdbc().sql(sql.toString()).params(params).query(Long.class).single();
        return rows == null ? 0 : rows;
    }

    /** The insert's values, one per column of {@link #COLUMNS}: built once, not on every insert. */
    private static final String PLACEHOLDERS = placeholders();

    private static String placeholders() {
        return Arrays.stream(COLUMNS.split(","))
                .map(String::strip)
                .map(column -> column.equals("risk_reasons") ? "CAST(:risk_reasons AS text[])"
                        : column.equals("metadata") ? "CAST(:metadata AS jsonb)" : ":" + column)
                .reduce((a, b) -> a + ", " + b)
                .orElseThrow();
    }

    /** The payment's columns; those that may be null typed, so that a statement is prepared once (SqlValues). */
    private static Map<String, Object> parameters(Payment p) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("id", p.id());
        values.put("created_at", Timestamp.from(p.createdAt()));
        values.put("merchant_id", p.merchantId());
        values.put("status", p.status().name());
        values.put("capture_method", p.captureMethod().name());
        values.put("amount_minor", p.amountMinor());
        values.put("currency", p.currency());
        values.put("capturable", p.amountCapturableMinor());
        values.put("amount_capturable_minor", p.amountCapturableMinor());
        values.put("captured", p.amountCapturedMinor());
        values.put("amount_captured_minor", p.amountCapturedMinor());
        values.put("refunded", p.amountRefundedMinor());
        values.put("amount_refunded_minor", p.amountRefundedMinor());
        values.put("amount_refunding_minor", p.amountRefundingMinor());
        values.put("token", p.token());
        CardDetails card = p.card();
        values.put("card_brand", SqlValues.text(card == null ? null : card.brand()));
        values.put("card_bin", SqlValues.text(card == null ? null : card.bin()));
        values.put("card_last4", SqlValues.text(card == null ? null : card.last4()));
        values.put("card_exp_month", SqlValues.integer(card == null ? null : card.expMonth()));
        values.put("card_exp_year", SqlValues.integer(card == null ? null : card.expYear()));
        values.put("card_fingerprint", SqlValues.text(card == null ? null : card.fingerprint()));
        Payment.Risk risk = p.risk();
        values.put("risk_score", SqlValues.integer(risk == null ? null : risk.score()));
        values.put("risk_decision", SqlValues.text(risk == null ? null : risk.decision().wire()));
        values.put("risk_reasons", SqlArrays.text(risk == null ? List.of() : risk.reasons()));
        values.put("risk_fallback", risk != null && risk.fallbackUsed());
        Payment.Authorization authorization = p.authorization();
        values.put("acquirer", SqlValues.text(authorization == null ? null : authorization.acquirer()));
        values.put("network_reference", SqlValues.text(authorization == null ? null : authorization.networkReference()));
        values.put("authorization_code", SqlValues.text(authorization == null ? null : authorization.authorizationCode()));
        Payment.Failure failure = p.failure();
        values.put("failure_code", SqlValues.text(failure == null ? null : failure.code()));
        values.put("decline_code", SqlValues.text(failure == null ? null : failure.declineCode()));
        values.put("failure_message", SqlValues.text(failure == null ? null : failure.message()));
        values.put("reference", SqlValues.text(p.reference()));
        values.put("description", SqlValues.text(p.description()));
        values.put("metadata", Json.MAPPER.writeValueAsString(p.metadata()));
        values.put("idempotency_key", SqlValues.text(p.idempotencyKey()));
        values.put("operation_amount_minor", SqlValues.bigint(p.inFlight() == null ? null : p.inFlight().amountMinor()));
        values.put("operation_key", SqlValues.text(p.inFlight() == null ? null : p.inFlight().requestKey()));
        values.put("operation_claim", SqlValues.text(p.inFlight() == null ? null : p.inFlight().claim()));
        values.put("updated_at", Timestamp.from(p.updatedAt()));
        values.put("version", p.version());
        return values;
    }

    public Optional<Refund> findRefund(String merchantId, String refundId) {
        if (!Ids.isValid(refundId, Ids.REFUND)) {
            return Optional.empty();
        }
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + REFUND_COLUMNS + " FROM refunds WHERE id = :id AND created_at = :created AND merchant_id = :merchant")
                .param("id", refundId).param("created", Timestamp.from(Ids.timestampOf(refundId))).param("merchant", merchantId)
                .query(REFUND_ROW).optional();
    }

    public Optional<Refund> findRefundByKey(String merchantId, String idempotencyKey) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT refund_id FROM refund_keys WHERE merchant_id = :merchant AND idempotency_key = :key")
                .param("merchant", merchantId).param("key", idempotencyKey)
                .query(String.class).optional()
                .flatMap(refundId -> findRefund(merchantId, refundId));
    }

    /** A merchant's payments, newest first, after the cursor; one more than {@code limit} tells whether more follow. */
    public List<Payment> list(String merchantId, String startingAfter, int limit) {
        return list(merchantId, java.util.Set.of(), startingAfter, limit);
    }

    /** A merchant's payments in one of {@code statuses} (all, when empty), newest first, after the cursor. */
    public List<Payment> list(String merchantId, java.util.Set<PaymentState> statuses, String startingAfter, int limit) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + COLUMNS + " FROM payments WHERE merchant_id = :merchant"
                        + (statuses.isEmpty() ? "" : " AND status IN (:statuses)")
                        + (startingAfter == null ? "" : " AND id < :after") + " ORDER BY id DESC LIMIT :limit")
                .param("merchant", merchantId)
                .param("statuses", statuses.stream().map(PaymentState::name).toList())
                .param("after", startingAfter).param("limit", limit)
                .query(ROW).list();
    }

    /**
     * A merchant's payments waiting for a reviewer, newest first, after the cursor: held for review before the
     * acquirer, or flagged after their authorization ({@code payment_flags} not yet decided).
     */
    public List<Payment> reviews(String merchantId, String startingAfter, int limit) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + COLUMNS + """
                         FROM payments
                        WHERE merchant_id = :merchant
                          AND (status = 'REQUIRES_REVIEW'
                               OR id IN (SELECT payment_id FROM payment_flags
                                          WHERE merchant_id = :merchant AND resolved_at IS NULL))"""
                        + (startingAfter == null ? "" : " AND id < :after") + " ORDER BY id DESC LIMIT :limit")
                .param("merchant", merchantId).param("after", startingAfter).param("limit", limit)
                .query(ROW).list();
    }

    /** A payment's refunds, newest first, after the cursor. */
    public List<Refund> refunds(String merchantId, String paymentId, String startingAfter, int limit) {
        return shards.forMerchant(merchantId).jdbc()
                .sql("SELECT " + REFUND_COLUMNS + " FROM refunds WHERE merchant_id = :merchant AND payment_id = :payment"
                        + (startingAfter == null ? "" : " AND id < :after") + " ORDER BY id DESC LIMIT :limit")
                .param("merchant", merchantId).param("payment", paymentId).param("after", startingAfter)
                .param("limit", limit)
                .query(REFUND_ROW).list();
    }

    private static Map<String, Object> refundParameters(Refund refund) {
        Map<String, Object> values = new java.util.HashMap<>();
        values.put("refund_id", refund.id());
        values.put("refund_created", Timestamp.from(refund.createdAt()));
        values.put("refund_amount", refund.amountMinor());
        values.put("refund_reason", SqlValues.text(refund.reason()));
        values.put("refund_key", SqlValues.text(refund.idempotencyKey()));
        values.put("refund_status", refund.status().name());
        values.put("refund_failure", SqlValues.text(refund.failureReason()));
        values.put("refund_network", SqlValues.text(refund.networkReference()));
        return values;
    }

    private static final String REFUND_COLUMNS = """
            id, created_at, payment_id, merchant_id, amount_minor, currency, reason, status, failure_reason,
            network_reference, idempotency_key, updated_at""";

    private static final RowMapper<Refund> REFUND_ROW = (rs, n) -> new Refund(rs.getString("id"), rs.getString("payment_id"),
            rs.getString("merchant_id"), rs.getLong("amount_minor"), rs.getString("currency"), rs.getString("reason"),
            RefundStatus.valueOf(rs.getString("status")), rs.getString("failure_reason"), rs.getString("network_reference"),
            rs.getString("idempotency_key"), instant(rs, "created_at"), instant(rs, "updated_at"));

    private static final RowMapper<Payment> ROW = (rs, n) -> new Payment(
            rs.getString("id"),
            rs.getString("merchant_id"),
            PaymentState.valueOf(rs.getString("status")),
            CaptureMethod.valueOf(rs.getString("capture_method")),
            rs.getLong("amount_minor"),
            rs.getString("currency"),
            rs.getLong("amount_capturable_minor"),
            rs.getLong("amount_captured_minor"),
            rs.getLong("amount_refunded_minor"),
            rs.getLong("amount_refunding_minor"),
            rs.getString("token"),
            rs.getString("card_bin") == null ? null : new CardDetails(rs.getString("card_brand"), rs.getString("card_bin"),
                    rs.getString("card_last4"), rs.getInt("card_exp_month"), rs.getInt("card_exp_year"),
                    rs.getString("card_fingerprint")),
            rs.getString("risk_decision") == null ? null : new Payment.Risk(rs.getInt("risk_score"),
                    RiskDecision.of(rs.getString("risk_decision")), strings(rs.getArray("risk_reasons")), rs.getBoolean("risk_fallback")),
            rs.getString("acquirer") == null ? null : new Payment.Authorization(rs.getString("acquirer"),
                    rs.getString("network_reference"), rs.getString("authorization_code")),
            rs.getString("failure_code") == null ? null : new Payment.Failure(rs.getString("failure_code"),
                    rs.getString("decline_code"), rs.getString("failure_message")),
            rs.getString("reference"),
            rs.getString("description"),
            metadata(rs),
            rs.getString("idempotency_key"),
            rs.getObject("operation_amount_minor") == null ? null
                    : new Payment.InFlight(rs.getLong("operation_amount_minor"), rs.getString("operation_key"),
                            rs.getString("operation_claim")),
            instant(rs, "created_at"),
            instant(rs, "updated_at"),
            rs.getLong("version"));

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> metadata(ResultSet rs) throws SQLException {
        String json = rs.getString("metadata");
        return json == null ? Map.of() : Json.MAPPER.readValue(json, Map.class);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getTimestamp(column).toInstant();
    }
}
