package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.transaction.domain.InquirySchedule;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * nightjar_payments_total on a real shard: an outcome is counted when the change reaching it commits, once,
 * however often the same answer is applied again.
 */
class PaymentOutcomesTest {

    private static Shards shards;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PaymentRepository repository = new PaymentRepository(shards, new PaymentEvents(new TraceContexts(null)),
            new InquirySchedule(Duration.ofSeconds(2), Duration.ofMinutes(5), 10), new PaymentOutcomes(meters));

    @BeforeAll
    static void shard() {
        shards = TestShards.open("transaction_outcomes");
    }

    @AfterAll
    static void close() {
        shards.close();
    }

    @Test
    void anAcquirersAnswerAppliedTwiceCountsThePaymentOnce() {
        Transition admitted = TestPayments.admitted("mer_outcomes", 1999, RiskDecision.ALLOW, 5);
        assertThat(repository.insert(admitted)).isTrue();
        assertThat(meters.scrape()).as("authorizing is no outcome").doesNotContainPattern("nightjar_payments_total\\{[^}]*} [1-9]");

        Transition captured = PaymentStateMachine.apply(admitted.payment(), approved("acquirer-a"));
        assertThat(repository.update(captured, admitted.payment().version())).isTrue();
        // an inquiry, the recovery job or a retried request brings the same answer, computed from the same version
        assertThat(repository.update(captured, admitted.payment().version())).isFalse();

        assertThat(meters.scrape()).contains(
                "nightjar_payments_total{acquirer=\"acquirer-a\",decline_code=\"none\",status=\"captured\"} 1.0");
    }

    @Test
    void declinesCountUnderTheirCodeAndACodeNightjarDoesNotKnowAsOther() {
        for (String code : new String[] {"insufficient_funds", "insufficient_funds", "issuer_said_no_thanks"}) {
            Transition admitted = TestPayments.admitted("mer_outcomes", 500, RiskDecision.ALLOW, 5);
            repository.insert(admitted);
            repository.update(PaymentStateMachine.apply(admitted.payment(), new PaymentCommand.ApplyAuthorization(
                    PaymentCommand.ApplyAuthorization.Outcome.DECLINED, "acquirer-b", "nr_1", null, code, false,
                    Instant.now())), admitted.payment().version());
        }

        assertThat(meters.scrape()).contains(
                "nightjar_payments_total{acquirer=\"acquirer-b\",decline_code=\"insufficient_funds\",status=\"declined\"} 2.0",
                "nightjar_payments_total{acquirer=\"acquirer-b\",decline_code=\"other\",status=\"declined\"} 1.0");
    }

    @Test
    void aPaymentBlockedByRiskIsCountedDeclinedAsFraudulentWithoutAnAcquirer() {
        assertThat(repository.insert(TestPayments.admitted("mer_outcomes", 700, RiskDecision.BLOCK, 97))).isTrue();

        assertThat(meters.scrape()).contains(
                "nightjar_payments_total{acquirer=\"none\",decline_code=\"fraudulent\",status=\"declined\"} 1.0");
    }

    @Test
    void failuresAndDeclinesHaveASeriesAtZeroBeforeTheFirstOne() {
        assertThat(meters.scrape()).contains(
                "nightjar_payments_total{acquirer=\"none\",decline_code=\"none\",status=\"failed\"} 0.0",
                "nightjar_payments_total{acquirer=\"none\",decline_code=\"none\",status=\"declined\"} 0.0");
    }

    @Test
    void onlyAnnouncedOutcomesCount() {
        Payment received = TestPayments.received("mer_1", 1999);
        Transition pending = PaymentStateMachine.apply(received, new PaymentCommand.ApplyAuthorization(
                PaymentCommand.ApplyAuthorization.Outcome.UNKNOWN, null, null, null, null, false, Instant.now()));
        Transition review = TestPayments.admitted("mer_1", 1999, RiskDecision.REVIEW, 70);
        Transition captured = PaymentStateMachine.apply(received, approved("acquirer-a"));

        assertThat(PaymentOutcomes.outcome(pending)).isEmpty();
        assertThat(PaymentOutcomes.outcome(review)).isEmpty();
        assertThat(PaymentOutcomes.outcome(captured)).contains(PaymentState.CAPTURED);
    }

    private static PaymentCommand.ApplyAuthorization approved(String acquirer) {
        return new PaymentCommand.ApplyAuthorization(PaymentCommand.ApplyAuthorization.Outcome.APPROVED, acquirer,
                "nr_1", "auth_code", null, true, Instant.now());
    }
}
