package dev.nightjar.platform.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.id.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** How long {@code ./nightjar trace} waits for a payment's spans to reach Zipkin. */
class PaymentTracesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Random RANDOM = new Random(7);

    @Test
    void aPaymentJustCreatedIsWaitedForUntilTheServicesHaveExportedItsSpans() {
        String payment = Ids.at(Ids.PAYMENT, NOW.minusSeconds(3), RANDOM);
        assertThat(PaymentTraces.exportWait(payment, NOW)).isEqualTo(PaymentTraces.EXPORTED_AFTER.minusSeconds(3));
    }

    @Test
    void anOlderPaymentIsReadAtOnce() {
        String payment = Ids.at(Ids.PAYMENT, NOW.minus(PaymentTraces.EXPORTED_AFTER).minusMillis(1), RANDOM);
        assertThat(PaymentTraces.exportWait(payment, NOW)).isZero();
    }

    @Test
    void aPaymentFromAClockAheadIsWaitedForNoLongerThanTheExportTakes() {
        String payment = Ids.at(Ids.PAYMENT, NOW.plus(Duration.ofMinutes(5)), RANDOM);
        assertThat(PaymentTraces.exportWait(payment, NOW)).isEqualTo(PaymentTraces.EXPORTED_AFTER);
    }

    @Test
    void anIdThatIsNotAPaymentsIsReadAtOnce() {
        assertThat(PaymentTraces.exportWait(Ids.at(Ids.REFUND, NOW, RANDOM), NOW)).isZero();
        assertThat(PaymentTraces.exportWait("pay_not-a-ulid", NOW)).isZero();
    }
}
