package dev.nightjar.risk.rescore;

import dev.nightjar.common.outbox.Outbox;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.RiskEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.risk.decision.DecisionLog.DecisionContext;
import dev.nightjar.risk.decision.RiskEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Post-authorization re-scoring. When a payment allowed at authorization is authorized or captured, it is
 * scored again on the features as they stand now, which know what happened after the decision (the burst
 * that followed, the declines). If it now reaches the review threshold, it is flagged once: a row in
 * {@code risk_flags} and a {@code risk.flagged} event on {@code risk_events}, through the outbox in the same
 * transaction. The event id is derived from the payment id, so a replay can never publish a second flag.
 */
public final class Rescorer {

    public static final String FLAGGED = EventType.RISK_FLAGGED.wire();

    private final RiskEngine engine;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final int reviewThreshold;
    private final Counter rescored;
    private final Counter flagged;
    private final Counter skipped;
    private final OutboxSignal outbox;

    public Rescorer(RiskEngine engine, JdbcClient jdbc, TransactionTemplate transactions, int reviewThreshold,
                    MeterRegistry meters, OutboxSignal outbox) {
        this.outbox = outbox;
        this.engine = engine;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.reviewThreshold = reviewThreshold;
        this.rescored = Counter.builder("nightjar.risk.rescored").description("Payments scored again after authorization")
                .register(meters);
        this.flagged = Counter.builder("nightjar.risk.flagged")
                .description("Payments flagged for review by re-scoring after authorization").register(meters);
        this.skipped = Counter.builder("nightjar.risk.rescore.skipped")
                .description("Authorized payments not re-scored because their decision request is not on record")
                .register(meters);
    }

    /** True for events that trigger re-scoring: authorized or captured, and allowed at authorization. */
    public static boolean triggers(EventEnvelope<PaymentEvent> event) {
        return (EventType.PAYMENT_AUTHORIZED.typeOf(event) || EventType.PAYMENT_CAPTURED.typeOf(event))
                && event.payload().riskDecision() == RiskDecision.ALLOW
                && event.payload().paymentId() != null && event.payload().merchantId() != null;
    }

    /** The id of the flag event of a payment: the same for every replay. */
    public static String flagEventId(String paymentId) {
        return "evt_rf_" + paymentId.substring(paymentId.indexOf('_') + 1);
    }

    /**
     * Re-scores the triggering events of a batch (duplicates included: a flag lost to a crash after the
     * features were stored is raised on the replay) and flags those that now reach the review threshold.
     * Returns how many were flagged for the first time.
     */
    public int rescore(List<EventEnvelope<PaymentEvent>> events, Map<String, DecisionContext> contexts, long nowMillis) {
        List<RiskEvent> flags = new ArrayList<>();
        for (EventEnvelope<PaymentEvent> event : events) {
            if (!triggers(event)) {
                continue;
            }
            PaymentEvent payment = event.payload();
            DecisionContext context = contexts.get(payment.paymentId());
            if (context == null) {
                // Without the request's BIN the test-card allow-list cannot be applied; better no flag than a wrong one.
                skipped.increment();
                continue;
            }
            rescored.increment();
            DecisionRequest request = new DecisionRequest(payment.paymentId(), payment.merchantId(), payment.amountMinor(),
                    payment.currency(), new CardDetails(payment.cardBrand(), context.cardBin(), context.cardLast4(), 0, 0,
                    payment.cardFingerprint()), context.customerIp(), context.ipCountry(), context.cardCountry());
            Decision decision = engine.decide(request, nowMillis);
            if (decision.score() >= reviewThreshold) {
                flags.add(new RiskEvent(payment.paymentId(), payment.merchantId(), decision.score(), RiskDecision.REVIEW,
                        decision.reasons(), false));
            }
        }
        if (flags.isEmpty()) {
            return 0;
        }
        Integer raised = transactions.execute(status -> {
            int count = 0;
            for (RiskEvent flag : flags) {
                count += flag(flag) ? 1 : 0;
            }
            return count;
        });
        int n = raised == null ? 0 : raised;
        flagged.increment(n);
        return n;
    }

    private boolean flag(RiskEvent flag) {
        String eventId = flagEventId(flag.paymentId());
        boolean first = jdbc.sql("""
                        INSERT INTO risk_flags (payment_id, merchant_id, score, reasons, event_id)
                        VALUES (:payment, :merchant, :score, CAST(:reasons AS text[]), :event)
                        ON CONFLICT (payment_id) DO NOTHING""")
                .param("payment", flag.paymentId()).param("merchant", flag.merchantId()).param("score", flag.score())
                .param("reasons", dev.nightjar.common.jdbc.SqlArrays.text(flag.reasons())).param("event", eventId)
                .update() == 1;
        if (first) {
            Outbox.append(jdbc, Topics.RISK_EVENTS, new EventEnvelope<>(eventId, FLAGGED, 1, Instant.now(),
                    flag.merchantId(), null, flag));
            outbox.written();
        }
        return first;
    }
}
