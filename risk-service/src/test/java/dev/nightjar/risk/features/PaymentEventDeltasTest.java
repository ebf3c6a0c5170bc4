package dev.nightjar.risk.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaymentEventDeltasTest {

    private static final Instant NOW = Instant.parse("2026-03-02T14:20:30Z");
    private static final long NOW_MINUTE = NOW.toEpochMilli() / 60_000L;

    private static EventEnvelope<PaymentEvent> event(String type, String paymentId, Instant created, Instant occurred) {
        PaymentEvent payment = new PaymentEvent(paymentId, "mer_1", dev.nightjar.contracts.contract.PaymentStatus.of(type.substring("payment.".length())), "automatic", 1999,
                "EUR", 0, 0, 0, 0, null, null, null, null, null, "visa", "4242", "fp_1", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW, created, occurred,
                null, null);
        return new EventEnvelope<>("evt_" + paymentId + type, type, 1, occurred, "mer_1", null, payment);
    }

    private static long count(List<FeatureDelta> deltas, FeatureDelta.Kind kind, boolean declines) {
        return deltas.stream().filter(d -> d instanceof FeatureDelta.Bucket b && b.kind() == kind)
                .mapToLong(d -> declines ? ((FeatureDelta.Bucket) d).declines() : ((FeatureDelta.Bucket) d).payments()).sum();
    }

    @Test
    void aPaymentCountsOnceAtItsCreationWhateverEventsItHas() {
        Instant created = NOW.minusSeconds(300);
        List<FeatureDelta> deltas = PaymentEventDeltas.of(List.of(
                        event(EventType.PAYMENT_PENDING.wire(), "pay_1", created, created),
                        event(EventType.PAYMENT_CAPTURED.wire(), "pay_1", created, NOW)),
                Set.of("pay_1"), Map.of("pay_1", "10.0.0.1"), NOW.toEpochMilli());

        assertThat(count(deltas, FeatureDelta.Kind.CARD, false)).isEqualTo(1);
        assertThat(count(deltas, FeatureDelta.Kind.MERCHANT, false)).isEqualTo(1);
        assertThat(count(deltas, FeatureDelta.Kind.IP, false)).isEqualTo(1);
        assertThat(deltas).contains(new FeatureDelta.FirstSeen("mer_1", "fp_1", created.toEpochMilli() / 60_000L));
    }

    @Test
    void aPaymentCountedBeforeAddsNoAttemptButItsDeclineCounts() {
        List<FeatureDelta> deltas = PaymentEventDeltas.of(List.of(event(EventType.PAYMENT_DECLINED.wire(), "pay_1", NOW, NOW)),
                Set.of(), Map.of(), NOW.toEpochMilli());

        assertThat(count(deltas, FeatureDelta.Kind.CARD, false)).isZero();
        assertThat(count(deltas, FeatureDelta.Kind.CARD, true)).isEqualTo(1);
        assertThat(count(deltas, FeatureDelta.Kind.MERCHANT, true)).isEqualTo(1);
    }

    @Test
    void eventsOlderThanTheDayChangeNothing() {
        Instant old = NOW.minusSeconds(24 * 3600 + 60);
        List<FeatureDelta> deltas = PaymentEventDeltas.of(List.of(event(EventType.PAYMENT_DECLINED.wire(), "pay_1", old, old)),
                Set.of("pay_1"), Map.of(), NOW.toEpochMilli());

        assertThat(deltas).isEmpty();
    }

    @Test
    void timesAheadOfOurClockCountAsNow() {
        Instant ahead = NOW.plusSeconds(3600);
        List<FeatureDelta> deltas = PaymentEventDeltas.of(List.of(event(EventType.PAYMENT_CAPTURED.wire(), "pay_1", ahead, ahead)),
                Set.of("pay_1"), Map.of(), NOW.toEpochMilli());

        assertThat(deltas).filteredOn(d -> d instanceof FeatureDelta.Bucket)
                .allMatch(d -> ((FeatureDelta.Bucket) d).minute() == NOW_MINUTE);
    }
}
