package dev.nightjar.transaction.settlement;

import dev.nightjar.common.kafka.ProcessedEvents;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.payment.PaymentRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.TransactionStatus;

/**
 * Applies settlement's {@code payment.settled} (the acquirer paid a capture out) to the payment, as
 * {@link SettlementDecision} says. Each event takes effect in one transaction on the merchant's shard with its
 * deduplication record: the payment moves to settled and its {@code payment.settled} payment event (the
 * merchant's webhook) goes into the outbox in the same statement, or the event is parked; so a redelivered
 * event does nothing and none is lost. Parked settlements are decided again every
 * {@code parked-retry-interval} (those waiting for a capture first; the others less and less often, up to
 * {@code parked-retry-max-wait}) and leave the table once they apply.
 */
public final class PaymentSettlements {

    /** The consumer group on {@code settlement_events}, and the consumer name of its deduplication records. */
    public static final String CONSUMER = "transaction-settlements";

    private static final Logger log = LoggerFactory.getLogger(PaymentSettlements.class);
    private static final int MAX_CONFLICT_RETRIES = 5;

    /** What became of one settlement. */
    public enum Result {
        SETTLED, ALREADY_SETTLED, ALREADY_REFUNDED, PARKED, DUPLICATE;

        String metricName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One run over the parked settlements: how many were decided again, and how many stay parked after it. */
    public record Run(int tried, long stillParked) {
    }

    private final Shards shards;
    private final PaymentRepository payments;
    private final SettlementProperties properties;
    private final Clock clock;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong oldestParkedAt = new AtomicLong(Long.MAX_VALUE);

    public PaymentSettlements(Shards shards, PaymentRepository payments, SettlementProperties properties, Clock clock,
                              MeterRegistry meters) {
        this.shards = shards;
        this.payments = payments;
        this.properties = properties;
        this.clock = clock;
        for (Result result : Result.values()) {
            results.put(result, Counter.builder("nightjar.payments.settlements").tag("result", result.metricName())
                    .description("Settlements from settlement-service, by what became of them (a parked one counts again when it applies)")
                    .register(meters));
        }
        Gauge.builder("nightjar.payments.settlements_parked", parked, AtomicLong::get)
                .description("Settlements parked because the payment could not take them, as of the last retry run")
                .register(meters);
        Gauge.builder("nightjar.payments.settlements_parked_oldest_seconds", this, PaymentSettlements::oldestSeconds)
                .description("How long the oldest parked settlement has waited, as of the last retry run")
                .baseUnit("seconds")
                .register(meters);
    }

    /** Applies one event from {@code settlement_events}; redelivered, it does nothing. */
    public Result receive(EventEnvelope<SettlementEvent> event) {
        Shard shard = shards.forMerchant(event.payload().merchantId());
        Result result = retryingConflicts(event.eventId(), () -> shard.transactions().execute(transaction ->
                ProcessedEvents.firstTime(shard.jdbc(), CONSUMER, event.eventId())
                        ? apply(shard, transaction, event, false) : Result.DUPLICATE));
        results.get(result).increment();
        return result;
    }

    @Scheduled(fixedDelayString = "${nightjar.transaction.settlements.parked-retry-interval:30s}",
            initialDelayString = "${nightjar.transaction.settlements.parked-retry-interval:30s}")
    public void scheduled() {
        Run run = retryParked();
        if (run.stillParked() > 0) {
            log.warn("{} settlements are parked: their payments cannot take them (settlements_parked says why)",
                    run.stillParked());
        }
    }

    /**
     * Decides up to {@code parked-retry-batch} parked settlements again on every shard, and forgets deduplication
     * records older than {@code processed-events-kept}; public for tests and operators who want a run now.
     */
    public Run retryParked() {
        int tried = 0;
        long stillParked = 0;
        Instant oldest = null;
        for (Shard shard : shards.all()) {
            for (String eventId : ParkedSettlements.due(shard.jdbc(), properties.parkedRetryBatch())) {
                tried++;
                try {
                    retryParked(shard, eventId);
                } catch (RuntimeException e) {
                    // one that cannot be decided now must not hold up the others; it is tried again next run
                    log.warn("parked settlement {} could not be decided again: {}", eventId, e.getMessage());
                }
            }
            ParkedSettlements.Backlog backlog = shard.transactions().execute(transaction -> {
                ParkedSettlements.purgeProcessed(shard.jdbc(), CONSUMER, properties.processedEventsKept(),
                        properties.processedEventsPurgeBatch());
                return ParkedSettlements.backlog(shard.jdbc());
            });
            stillParked += backlog.parked();
            Instant shardOldest = backlog.oldestParkedAt();
            if (shardOldest != null && (oldest == null || shardOldest.isBefore(oldest))) {
                oldest = shardOldest;
            }
        }
        parked.set(stillParked);
        oldestParkedAt.set(oldest == null ? Long.MAX_VALUE : oldest.toEpochMilli());
        return new Run(tried, stillParked);
    }

    /** Decides one parked settlement again, unless it is gone or another replica is deciding it. */
    private void retryParked(Shard shard, String eventId) {
        Result result = retryingConflicts(eventId, () -> shard.transactions().execute(transaction -> {
            Optional<EventEnvelope<SettlementEvent>> parkedEvent = ParkedSettlements.lock(shard.jdbc(), eventId);
            return parkedEvent.isEmpty() ? Result.PARKED : apply(shard, transaction, parkedEvent.get(), true);
        }));
        if (result != Result.PARKED) {
            results.get(result).increment();
        }
    }

    /**
     * Decides {@code event} inside {@code transaction} on the payment's shard: settles it, acknowledges it or
     * parks it ({@code parkedAlready}: it is a parked row, locked). Null when the payment changed between the read
     * and the write: the transaction is then rolled back, to be run again.
     */
    private Result apply(Shard shard, TransactionStatus transaction, EventEnvelope<SettlementEvent> event,
                         boolean parkedAlready) {
        SettlementEvent settled = event.payload();
        Optional<Payment> payment = payments.find(settled.merchantId(), settled.paymentId());
        SettlementDecision decision = SettlementDecision.of(payment.orElse(null), settled, clock.instant());
        Result result = switch (decision) {
            case SettlementDecision.Settle settle -> {
                if (!payments.update(settle.transition(), payment.orElseThrow().version())) {
                    transaction.setRollbackOnly();
                    yield null;
                }
                yield Result.SETTLED;
            }
            case SettlementDecision.Acknowledge acknowledged -> acknowledged.result();
            case SettlementDecision.Park park -> {
                if (parkedAlready) {
                    ParkedSettlements.triedAgain(shard.jdbc(), event.eventId(), park.reason(),
                            properties.parkedRetryInterval(), properties.parkedRetryMaxWait());
                } else {
                    ParkedSettlements.park(shard.jdbc(), event, park.reason());
                    log.warn("settlement {} of payment {} (batch {}) parked: {}", event.eventId(), settled.paymentId(),
                            settled.batchId(), park.reason());
                }
                yield Result.PARKED;
            }
        };
        if (parkedAlready && result != null && result != Result.PARKED) {
            ParkedSettlements.remove(shard.jdbc(), event.eventId());
        }
        return result;
    }

    /** Runs {@code attempt} again while it returns null (the payment changed meanwhile), a few times at most. */
    private static Result retryingConflicts(String eventId, java.util.function.Supplier<Result> attempt) {
        for (int i = 0; i < MAX_CONFLICT_RETRIES; i++) {
            Result result = attempt.get();
            if (result != null) {
                return result;
            }
        }
        // the batch (or the next run) tries again; every attempt so far was rolled back
        throw new IllegalStateException("settlement " + eventId + ": the payment kept changing under it");
    }

    private double oldestSeconds() {
        long since = oldestParkedAt.get();
        return since == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - since) / 1000.0;
    }
}
