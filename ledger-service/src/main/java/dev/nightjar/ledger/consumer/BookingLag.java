package dev.nightjar.ledger.consumer;

import dev.nightjar.ledger.journal.Journal;
import dev.nightjar.ledger.journal.JournalEntry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nightjar_ledger_booking_lag_seconds}: from when an event happened at its source (its envelope's
 * {@code occurred_at}) to its journal entry committed. Everything between shows in it: the outbox relay, Kafka,
 * this consumer's lag, the booking itself. Entries of replayed records were measured when first written.
 */
public final class BookingLag {

    public static final String METRIC = "nightjar.ledger.booking.lag";

    private final Timer lag;
    private final Clock clock;

    public BookingLag(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        this.lag = Timer.builder(METRIC)
                .description("From an event's occurrence at its source to its journal entry committed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(5))
                .register(meters);
    }

    /** Records the lag of every entry {@code written} now, for the events of {@code consumed} that caused them. */
    public void written(List<Journal.Consumed> consumed, List<JournalEntry> written) {
        if (written.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Instant> occurredAt = new HashMap<>();
        consumed.forEach(event -> occurredAt.put(event.event().eventId(), event.event().occurredAt()));
        for (JournalEntry entry : written) {
            Instant occurred = occurredAt.get(entry.sourceEventId());
            if (occurred != null) {
                // clocks of two machines: an event stamped a little in the future counts as no lag
                lag.record(occurred.isAfter(now) ? Duration.ZERO : Duration.between(occurred, now));
            }
        }
    }
}
