package dev.nightjar.transaction.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.contracts.contract.RiskDecision;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InquiryScheduleTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private final InquirySchedule schedule = new InquirySchedule(Duration.ofSeconds(2), Duration.ofSeconds(30), 4);

    @Test
    void eachWaitDoublesTheOneBeforeUpToTheLongest() {
        assertThat(schedule.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(schedule.delay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(schedule.delay(4)).isEqualTo(Duration.ofSeconds(16));
        assertThat(schedule.delay(5)).isEqualTo(Duration.ofSeconds(30));
        assertThat(schedule.delay(200)).as("no overflow far out").isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void anInquiryIsDueItsWaitAfterWhatItFollows() {
        assertThat(schedule.due(new Effect.Inquire(1), T0)).isEqualTo(T0.plusSeconds(2));
        assertThat(schedule.due(new Effect.Inquire(3), T0)).isEqualTo(T0.plusSeconds(8));
    }

    @Test
    void anInquiryThatLearnedNothingIsFollowedByTheNextUntilTheAttemptsAreSpent() {
        Payment pending = payment(PaymentState.PENDING);
        assertThat(schedule.after(pending, 1)).contains(new Effect.Inquire(2));
        assertThat(schedule.after(pending, 3)).contains(new Effect.Inquire(4));
        assertThat(schedule.after(pending, 4)).as("the recovery job's turn").isEmpty();
        assertThat(schedule.after(payment(PaymentState.AUTHORIZING), 1)).contains(new Effect.Inquire(2));
    }

    @Test
    void anInquiryThatLearnedTheOutcomeIsTheLast() {
        for (PaymentState known : new PaymentState[] {PaymentState.AUTHORIZED, PaymentState.CAPTURED, PaymentState.DECLINED,
                PaymentState.FAILED}) {
            assertThat(schedule.after(payment(known), 1)).as(known.name()).isEmpty();
        }
    }

    @Test
    void aScheduleWithoutAWaitOrAnAttemptIsRefused() {
        assertThatThrownBy(() -> new InquirySchedule(Duration.ZERO, Duration.ofSeconds(1), 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InquirySchedule(Duration.ofSeconds(2), Duration.ofSeconds(1), 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InquirySchedule(Duration.ofSeconds(2), Duration.ofSeconds(2), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Effect.Inquire(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static Payment payment(PaymentState status) {
        return new Payment("pay_1", "mer_1", status, CaptureMethod.AUTOMATIC, 1000, "EUR", 0, 0, 0, 0, "tok_1", null,
                new Payment.Risk(10, RiskDecision.ALLOW, java.util.List.of(), false), null, null, null, null, Map.of(), null,
                null, T0, T0, 0);
    }
}
