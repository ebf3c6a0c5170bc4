package dev.nightjar.gateway.webhook;

import java.util.Map;
import io.micrometer.tracing.Span;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.lifecycle.Worker;
import dev.nightjar.common.web.AdmissionLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Sends due deliveries: leases them from the queue, POSTs each on its own virtual thread (at most
 * {@code concurrency} at once), and settles each attempt: delivered, retried with exponential backoff, or
 * abandoned once the event is older than {@code giveUpAfter}. Woken at once when events are enqueued.
 *
 * <p>Deliveries yield to merchants' requests: while the gateway admits fewer requests than its most (its
 * {@link AdmissionLimit} falls when requests wait for a CPU), it sends only the same share of {@code concurrency}.
 * After the gateway's restart, the backlog of every event that arrived meanwhile would otherwise take the
 * carriers and the database connections the merchants' requests are waiting for.
 */
public final class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final EventSpans spans;
    private final WebhookDeliveries deliveries;
    private final WebhookEndpoints endpoints;
    private final WebhookSender sender;
    private final WebhookProperties properties;
    private final Clock clock;
    private final AdmissionLimit pressure;
    private final Semaphore inFlight;
    private final Semaphore wake = new Semaphore(0);
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Worker worker;
    private final Counter delivered;
    private final Counter failed;
    private final Counter abandoned;
    private final Timer latency;

    public WebhookDispatcher(WebhookDeliveries deliveries, WebhookEndpoints endpoints, WebhookSender sender,
                             WebhookProperties properties, Clock clock, AdmissionLimit pressure, MeterRegistry meters,
                             EventSpans spans) {
        this.spans = spans;
        this.deliveries = deliveries;
        this.endpoints = endpoints;
        this.sender = sender;
        this.properties = properties;
        this.clock = clock;
        this.pressure = pressure;
        this.inFlight = new Semaphore(properties.concurrency());
        this.worker = new Worker("webhook-dispatcher", this::loop);
        this.delivered = outcome(meters, "delivered");
        this.failed = outcome(meters, "failed");
        this.abandoned = outcome(meters, "abandoned");
        this.latency = Timer.builder("nightjar.webhooks.attempt").description("Time an endpoint took to answer")
                .publishPercentileHistogram().register(meters);
    }

    private static Counter outcome(MeterRegistry meters, String outcome) {
        return Counter.builder("nightjar.webhooks.attempts").tag("outcome", outcome)
                .description("Webhook delivery attempts by outcome").register(meters);
    }

    /** Something was enqueued: look for due deliveries now rather than at the next poll. */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (worker.isRunning()) {
            try {
                int sent = dispatchOnce();
                if (sent == 0) {
                    wake.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("webhook dispatch failed, retrying: {}", e.toString());
                sleepQuietly(properties.pollInterval());
            }
        }
    }

    /** Leases what is due (as much as there is room for) and starts sending it; returns how many. */
    int dispatchOnce() throws InterruptedException {
        inFlight.acquire();
        int free = 1 + inFlight.drainPermits();
        int underWay = properties.concurrency() - free;
        int room = Math.min(free, Math.max(0, share(properties.concurrency(), pressure) - underWay));
        inFlight.release(free - room);
        if (room == 0) {
            return 0;
        }
        List<WebhookDeliveries.Due> due;
        try {
            due = deliveries.lease(room, properties.timeout().plusSeconds(30));
        } catch (RuntimeException e) {
            inFlight.release(room);
            throw e;
        }
        inFlight.release(room - due.size());
        for (WebhookDeliveries.Due delivery : due) {
            threads.execute(() -> {
                try {
                    attempt(delivery);
                } catch (RuntimeException e) {
                    log.warn("webhook delivery {} attempt {} could not be settled (it falls due again): {}",
                            delivery.id(), delivery.attempt(), e.toString());
                } finally {
                    inFlight.release();
                }
            });
        }
        return due.size();
    }

    /** The deliveries allowed at once now: the admission limit's share of {@code concurrency}, at least one. */
    static int share(int concurrency, AdmissionLimit pressure) {
        return Math.max(1, concurrency * pressure.current() / pressure.max());
    }

    /** One attempt, as a span of the payment's trace (a child of the event's consumer span) when it has one. */
    private void attempt(WebhookDeliveries.Due due) {
        Span span = spans.child("webhook.deliver", Span.Kind.CLIENT, due.traceparent(), Map.of(
                "event.id", due.eventId(), "webhook.endpoint.id", due.endpointId(),
                "attempt", Integer.toString(due.attempt())));
        if (span == null) {
            deliver(due);
            return;
        }
        try {
            span.tag("outcome", deliver(due));
        } catch (RuntimeException e) {
            span.error(e);
            throw e;
        } finally {
            span.end();
        }
    }

    /** Sends one attempt and settles it; returns delivered, failed (to be retried), abandoned. */
    private String deliver(WebhookDeliveries.Due due) {
        if (due.endpointDeleted()) {
            deliveries.settle(due, new WebhookDeliveries.Outcome(null, "endpoint deleted", 0), null);
            abandoned.increment();
            return "abandoned";
        }
        WebhookDeliveries.Outcome outcome = sender.send(URI.create(due.url()),
                endpoints.secret(due.endpointId(), due.sealedSecret()), due.payload());
        latency.record(Duration.ofMillis(outcome.durationMillis()));
        if (outcome.delivered()) {
            deliveries.settle(due, outcome, null);
            delivered.increment();
            return "delivered";
        }
        Instant retryAt = clock.instant().plus(properties.delayAfter(due.attempt()));
        if (retryAt.isAfter(due.created().plus(properties.giveUpAfter()))) {
            deliveries.settle(due, outcome, null);
            abandoned.increment();
            log.warn("webhook {} to endpoint {} abandoned after {} attempts", due.eventId(), due.endpointId(), due.attempt());
            return "abandoned";
        }
        deliveries.settle(due, outcome, retryAt);
        failed.increment();
        return "failed";
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        worker.start();
    }

    @Override
    public void stop() {
        worker.stop();
        threads.shutdown();
        try {
            threads.awaitTermination(properties.timeout().toSeconds() + 1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }
}
