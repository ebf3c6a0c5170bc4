package dev.nightjar.transaction.retry;

import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.Refund;
import dev.nightjar.transaction.payment.Collaborators;
import dev.nightjar.transaction.payment.PaymentRepository;
import dev.nightjar.transaction.payment.PaymentService;
import dev.nightjar.transaction.payment.TransactionProperties;
import dev.nightjar.transaction.refund.RefundService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The recovery path: every payment still waiting for an acquirer's answer to be applied (authorizing,
 * pending, a claimed capture or cancel) or accepted and not yet processed (received), and every pending
 * refund, unchanged for {@code recoverAfter}, is
 * asked about again (the same reference, so the acquirer answers what it did and never acts twice) and
 * its answer applied. Each run walks every shard once, oldest first, asking {@code recoveryConcurrency} at
 * a time, so a backlog of thousands left by an outage drains in seconds once auth-service is back; while
 * auth-service counts as away the run does nothing. Safe on several replicas at once: every inquiry is
 * idempotent at the acquirer and every state change is conditional on the version.
 */
public final class PendingRecovery {

    private static final Logger log = LoggerFactory.getLogger(PendingRecovery.class);
    private static final int PAGE = 200;

    private final PaymentRepository repository;
    private final PaymentService payments;
    private final RefundService refunds;
    private final Collaborators collaborators;
    private final TransactionProperties properties;
    private final Clock clock;
    private final Counter resolved;
    private final AtomicLong oldestWaitingSince = new AtomicLong(Long.MAX_VALUE);
    private final AtomicInteger waiting = new AtomicInteger();

    public PendingRecovery(PaymentRepository repository, PaymentService payments, RefundService refunds,
                           Collaborators collaborators, TransactionProperties properties, Clock clock, MeterRegistry meters) {
        this.repository = repository;
        this.payments = payments;
        this.refunds = refunds;
        this.collaborators = collaborators;
        this.properties = properties;
        this.clock = clock;
        this.resolved = Counter.builder("nightjar.payments.pending_resolved").tag("by", "recovery")
                .description("Pending payments whose outcome an inquiry learned").register(meters);
        Gauge.builder("nightjar.payments.awaiting_acquirer", waiting, AtomicInteger::get)
                .description("Payments and refunds the last recovery run found still waiting for an acquirer's answer")
                .register(meters);
        Gauge.builder("nightjar.payments.awaiting_acquirer_oldest_seconds", this, PendingRecovery::oldestSeconds)
                .description("How long the oldest of them has waited, as of the last recovery run")
                .baseUnit("seconds")
                .register(meters);
    }

    /** One result of a run: how many were asked about, and how many are still waiting afterwards. */
    public record Run(int asked, int stillWaiting) {
    }

    @Scheduled(fixedDelayString = "${nightjar.transaction.recovery-interval:5s}", initialDelayString = "5s")
    public void scheduled() {
        Run run = recover();
        if (run.stillWaiting() > 0) {
            log.warn("{} of {} payments and refunds asked about are still waiting for an acquirer's answer",
                    run.stillWaiting(), run.asked());
        }
    }

    /** Walks every shard once; public for tests and operators who want a run now. */
    public Run recover() {
        if (collaborators.authIsAway()) {
            return new Run(0, 0);
        }
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger stillWaiting = new AtomicInteger();
        Instant oldest = null;
        try (ExecutorService inquiries = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore inFlight = new Semaphore(properties.recoveryConcurrency());
            for (int shard = 0; shard < repository.shardCount(); shard++) {
                int current = shard;
                Instant shardOldest = walk((at, id) -> repository.unresolved(current, properties.recoverAfter(), PAGE, at, id),
                        Payment::updatedAt, Payment::id, inquiries, inFlight, asked, payment -> {
                            Payment after = payments.recover(payment);
                            if (after.status().unresolved()) {
                                stillWaiting.incrementAndGet();
                            } else {
                                resolved.increment();
                            }
                        });
                oldest = earlier(oldest, shardOldest);
                Instant refundsOldest = walk((at, id) -> repository.pendingRefunds(current, properties.recoverAfter(), PAGE, at, id),
                        Refund::updatedAt, Refund::id, inquiries, inFlight, asked, refund -> {
                            if (refunds.recover(refund).status() == RefundStatus.PENDING) {
                                stillWaiting.incrementAndGet();
                            }
                        });
                oldest = earlier(oldest, refundsOldest);
            }
        }
        waiting.set(stillWaiting.get());
        oldestWaitingSince.set(oldest == null ? Long.MAX_VALUE : oldest.toEpochMilli());
        return new Run(asked.get(), stillWaiting.get());
    }

    /**
     * Asks about every row of the pages ({@code page} takes the last row's change time and id, both null for
     * the first page), {@code inFlight} at a time, stopping early when auth-service turns away; returns when
     * the oldest row was last changed (null when there were none).
     */
    private <T> Instant walk(BiFunction<Instant, String, List<T>> pages, Function<T, Instant> changedAt,
                             Function<T, String> id, ExecutorService inquiries, Semaphore inFlight, AtomicInteger asked,
                             Consumer<T> inquiry) {
        List<T> page = pages.apply(null, null);
        Instant oldest = page.isEmpty() ? null : changedAt.apply(page.get(0));
        while (!page.isEmpty()) {
            for (T row : page) {
                if (collaborators.authIsAway()) {
                    return oldest;
                }
                acquire(inFlight);
                asked.incrementAndGet();
                inquiries.submit(() -> {
                    try {
                        inquiry.accept(row);
                    } catch (RuntimeException e) {
                        log.warn("recovery of {} failed: {}", id.apply(row), e.getMessage());
                    } finally {
                        inFlight.release();
                    }
                });
            }
            if (page.size() < PAGE) {
                break;
            }
            T last = page.get(page.size() - 1);
            page = pages.apply(changedAt.apply(last), id.apply(last));
        }
        return oldest;
    }

    private double oldestSeconds() {
        long since = oldestWaitingSince.get();
        return since == Long.MAX_VALUE ? 0 : Math.max(0, clock.millis() - since) / 1000.0;
    }

    private static Instant earlier(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
