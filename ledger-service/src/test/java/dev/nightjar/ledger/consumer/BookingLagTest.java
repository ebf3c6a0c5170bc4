package dev.nightjar.ledger.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.ledger.journal.Bookkeeping;
import dev.nightjar.ledger.journal.FeeSchedule;
import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** nightjar_ledger_booking_lag_seconds: from an event's occurrence to its journal entry written. */
class BookingLagTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final BookingLag lag = new BookingLag(meters, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Bookkeeping books = new Bookkeeping(new FeeSchedule(140, Map.of(), Map.of()));

    @Test
    void everyEntryWrittenRecordsHowLongAfterItsEventItWasBooked() {
        Journal.Consumed late = captured("evt_late", NOW.minusSeconds(3));
        Journal.Consumed prompt = captured("evt_prompt", NOW.minusMillis(40));
        List<JournalEntry> written = new ArrayList<>();
        written.addAll(books.entriesFor(late.event(), new HashMap<>()));
        written.addAll(books.entriesFor(prompt.event(), new HashMap<>()));

        lag.written(List.of(late, prompt), written);

        var timer = meters.get("nightjar.ledger.booking.lag").timer();
        assertThat(timer.count()).isEqualTo(written.size()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(3_040.0);
        assertThat(meters.scrape()).contains(
                "nightjar_ledger_booking_lag_seconds_bucket{le=\"0.1\"} 1",
                "nightjar_ledger_booking_lag_seconds_bucket{le=\"1.0\"} 1",
                "nightjar_ledger_booking_lag_seconds_bucket{le=\"5.0\"} 2",
                "nightjar_ledger_booking_lag_seconds_count 2",
                "nightjar_ledger_booking_lag_seconds_sum 3.04");
    }

    @Test
    void replayedRecordsWithNothingWrittenNowRecordNothing() {
        lag.written(List.of(captured("evt_replayed", NOW.minusSeconds(60))), List.of());

        assertThat(meters.get("nightjar.ledger.booking.lag").timer().count()).isZero();
    }

    private static Journal.Consumed captured(String eventId, Instant occurredAt) {
        PaymentEvent payment = new PaymentEvent("pay_" + eventId, "mer_1", dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", 10_000, "EUR", 0, 10_000,
                0, 10_000, null, "acquirer-a", "nw_auth", null, null, "visa", "4242", "fp", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW, occurredAt,
                occurredAt, null, null);
        return new Journal.Consumed(new EventEnvelope<>(eventId, EventType.PAYMENT_CAPTURED.wire(), 1, occurredAt, "mer_1", null,
                payment), "payment_events", 0, 1);
    }
}
