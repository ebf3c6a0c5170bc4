package dev.nightjar.common.http;

import dev.nightjar.common.lifecycle.BeforeFirstRequest;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.web.ReadinessController;
import io.micrometer.tracing.Tracer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.RestClient;

/**
 * Opens keep-alive connections to the services this one calls on every request, before its web server takes
 * its first request. A restarted service starts with empty pools and meets its callers' backlog at once: each
 * of the first requests opened its own mutual-TLS connection to each dependency, a few handshakes at a time
 * ({@link HandshakeGate}) on a JVM still compiling, and the chaos run's traces showed the first requests after
 * the gateway's restart spending 1.6-2.9 s of their 6 s budget before their call reached the vault or
 * transaction-service. Here each pool holds {@code connections} of them, each having carried one request,
 * before anybody waits; they stay until the pool's idle eviction.
 *
 * <p>The request is {@code GET} {@link ReadinessController#PATH}: cheap, answered by every service, and allowed
 * by the call graph to every caller of a service. A 2xx answer counts as an open connection; a service that is
 * not ready answers 503, after which its server closes the connection. Each called service gets at most
 * {@code budget} before the port opens; one that had fewer connections ready by then (at a fleet's start the
 * services come up together, and a dependency may not be ready yet) is tried again in the background every
 * {@link #RETRY_EVERY} until it has them or {@code retryFor} has passed, so the connections are there when the
 * first payments come. It never fails the start (a dependency that is away is reported by the requests that
 * need it, with a 503), only logs what it did.
 */
public final class ConnectionWarmUp extends BeforeFirstRequest {

    /** How long the background waits between two tries at a service that had fewer connections than wanted. */
    static final Duration RETRY_EVERY = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(ConnectionWarmUp.class);

    /** One called service: the client its calls go through, and how many connections to open to it. */
    public record Target(RestClient client, int connections) {
    }

    /**
     * Called services a service reaches through clients of its own rather than {@link InternalClients} (an
     * acquirer, say): a bean of this type adds them to the service's warm-up, with the same budget and retries.
     */
    @FunctionalInterface
    public interface Targets {

        /** The targets, by the name the warm-up logs them under. */
        Map<String, Target> targets();
    }

    private final Map<String, Target> targets;
    private final Duration budget;
    private final Duration retryFor;
    private final Tracer tracer;
    private volatile Thread retries;

    /**
     * @param targets  the called services to open connections to, by name
     * @param budget   the most time to spend on each called service before the port opens
     * @param retryFor how long the background keeps trying a service that had fewer connections than wanted;
     *                 zero for no background
     */
    public ConnectionWarmUp(Map<String, Target> targets, Duration budget, Duration retryFor) {
        this(targets, budget, retryFor, null);
    }

    /** As above, the requests made inside a trace nobody records ({@link TraceContexts#unrecordedTrace}). */
    public ConnectionWarmUp(Map<String, Target> targets, Duration budget, Duration retryFor, Tracer tracer) {
        this.targets = new TreeMap<>(targets);
        this.budget = budget;
        this.retryFor = retryFor;
        this.tracer = tracer;
    }

    @Override
    protected void prepare() {
        Map<String, Target> unfinished = new TreeMap<>();
        targets.forEach((service, target) -> {
            long start = System.nanoTime();
            int opened = open(target.client(), target.connections(), budget, tracer);
            log.info("connection warm-up: {} of {} connections to {} open in {} ms", opened, target.connections(), service,
                    (System.nanoTime() - start) / 1_000_000);
            if (opened < target.connections()) {
                unfinished.put(service, target);
            }
        });
        if (!unfinished.isEmpty() && retryFor.isPositive()) {
            retries = Thread.ofVirtual().name("connection-warm-up").start(() -> retry(unfinished));
        }
    }

    /** Whether the background is still trying a service; for tests. */
    boolean retrying() {
        Thread thread = retries;
        return thread != null && thread.isAlive();
    }

    private void retry(Map<String, Target> remaining) {
        long start = System.nanoTime();
        long deadline = start + retryFor.toNanos();
        try {
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(RETRY_EVERY);
                remaining.entrySet().removeIf(entry -> {
                    Target target = entry.getValue();
                    boolean done = open(target.client(), target.connections(), budget, tracer) == target.connections();
                    if (done) {
                        log.info("connection warm-up: {} connections to {} open {} ms after the start", target.connections(),
                                entry.getKey(), (System.nanoTime() - start) / 1_000_000);
                    }
                    return done;
                });
            }
        } catch (InterruptedException e) {
            return;
        }
        if (!remaining.isEmpty()) {
            log.info("connection warm-up: gave up on {} after {}; their first requests open their own", remaining.keySet(),
                    retryFor);
        }
    }

    @Override
    protected void halt() {
        Thread thread = retries;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /**
     * Sends {@code wanted} requests at once and holds each answer until every request has one (or the budget
     * is spent), so each is a connection of its own; returns how many were answered ready (2xx). The answers are
     * then read to their end, which hands their connections back to the pool open.
     */
    static int open(RestClient client, int wanted, Duration budget) {
        return open(client, wanted, budget, null);
    }

    /**
     * As above, each request made inside a trace nobody records: they are no payment's, and each would otherwise
     * start a recorded trace of its own (hundreds in the first minutes after a fleet's start, two spans each).
     */
    static int open(RestClient client, int wanted, Duration budget, Tracer tracer) {
        long deadline = System.nanoTime() + budget.toNanos();
        CountDownLatch settled = new CountDownLatch(wanted);
        AtomicInteger answered = new AtomicInteger();
        try (ExecutorService takers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < wanted; i++) {
                takers.execute(() -> {
                    boolean[] arrived = {false};
                    try (Tracer.SpanInScope unrecorded = TraceContexts.unrecordedTrace(tracer);
                         Deadline.Scope ignored = Deadline.start(Duration.ofNanos(deadline - System.nanoTime()))) {
                        client.get().uri(ReadinessController.PATH).exchange((request, response) -> {
                            if (response.getStatusCode().is2xxSuccessful()) {
                                // a service not ready answers 503, and its server then closes the connection
                                answered.incrementAndGet();
                            }
                            arrived[0] = true;
                            settled.countDown();
                            awaitOthers(settled, deadline);
                            response.getBody().transferTo(OutputStream.nullOutputStream());
                            return null;
                        });
                    } catch (RuntimeException e) {
                        log.debug("connection warm-up: a request found no answer: {}", e.getMessage());
                    } finally {
                        if (!arrived[0]) {
                            settled.countDown();
                        }
                    }
                });
            }
        }
        return answered.get();
    }

    private static void awaitOthers(CountDownLatch settled, long deadline) throws IOException {
        try {
            settled.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while holding a warm-up connection");
        }
    }
}
