package dev.nightjar.common.http;

import dev.nightjar.common.lifecycle.BeforeFirstRequest;
import dev.nightjar.common.web.ReadinessController;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
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
 * by the call graph to every caller of the service's {@code /internal/v1/**} (so not to auth-service at the
 * vault, which may only detokenize there). A 2xx answer counts as an open connection; a service that is not
 * ready answers 503, after which its server closes the connection. Stops at {@code budget}; never fails the
 * start (a dependency that is away is reported by the requests that need it, with a 503), only logs what it
 * did.
 */
public final class ConnectionWarmUp extends BeforeFirstRequest {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWarmUp.class);

    private final InternalClients clients;
    private final Map<String, Integer> connections;
    private final Duration budget;

    /**
     * @param clients     the service's clients
     * @param connections the connections to open, by called service (only those asked for: a service not
     *                    among them is left alone)
     * @param budget      the most time to spend on each called service
     */
    public ConnectionWarmUp(InternalClients clients, Map<String, Integer> connections, Duration budget) {
        this.clients = clients;
        this.connections = Map.copyOf(connections);
        this.budget = budget;
    }

    @Override
    protected void prepare() {
        connections.forEach((service, wanted) -> {
            long start = System.nanoTime();
            int opened = open(clients.client(service), wanted, budget);
            log.info("connection warm-up: {} of {} connections to {} open in {} ms", opened, wanted, service,
                    (System.nanoTime() - start) / 1_000_000);
        });
    }

    /**
     * Sends {@code wanted} requests at once and holds each answer until every request has one (or the budget
     * is spent), so each is a connection of its own; returns how many were answered ready (2xx). The answers are
     * then read to their end, which hands their connections back to the pool open.
     */
    static int open(RestClient client, int wanted, Duration budget) {
        long deadline = System.nanoTime() + budget.toNanos();
        CountDownLatch settled = new CountDownLatch(wanted);
        AtomicInteger answered = new AtomicInteger();
        try (ExecutorService takers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < wanted; i++) {
                takers.execute(() -> {
                    boolean[] arrived = {false};
                    try (Deadline.Scope ignored = Deadline.start(Duration.ofNanos(deadline - System.nanoTime()))) {
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
