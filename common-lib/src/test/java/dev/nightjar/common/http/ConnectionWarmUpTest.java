package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.observability.RecordingTracer;
import dev.nightjar.common.observability.UntracedSends;
import dev.nightjar.common.web.ReadinessController;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/**
 * The warm-up leaves as many open connections in the pool as it was asked for, and the requests that come after
 * it travel on them instead of opening their own; a dependency that is away costs the start no more than the
 * budget.
 */
class ConnectionWarmUpTest {

    private static final int CONNECTIONS = 8;

    @Test
    void theFirstRequestsAfterTheWarmUpTravelOnTheConnectionsItOpened() throws Exception {
        Set<Integer> warmed = ConcurrentHashMap.newKeySet();
        Set<Integer> later = ConcurrentHashMap.newKeySet();
        CountDownLatch allLaterRequestsIn = new CountDownLatch(CONNECTIONS);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(ReadinessController.PATH, exchange -> answer(exchange, warmed));
        server.createContext("/internal/v1/work", exchange -> {
            // every later request is held until all are in: each needs a connection of its own at once
            allLaterRequestsIn.countDown();
            await(allLaterRequestsIn);
            answer(exchange, later);
        });
        server.start();
        try {
            RestClient client = client("http://127.0.0.1:" + server.getAddress().getPort());

            int opened = ConnectionWarmUp.open(client, CONNECTIONS, Duration.ofSeconds(5));

            assertThat(opened).isEqualTo(CONNECTIONS);
            assertThat(warmed).as("one connection (client port) per warm-up request").hasSize(CONNECTIONS);
            try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<String>> answers = new java.util.ArrayList<>();
                for (int i = 0; i < CONNECTIONS; i++) {
                    answers.add(callers.submit(() -> client.get().uri("/internal/v1/work").retrieve().body(String.class)));
                }
                for (Future<String> answer : answers) {
                    assertThat(answer.get(10, TimeUnit.SECONDS)).isEqualTo("ok");
                }
            }
            assertThat(later).as("the later requests' connections").hasSize(CONNECTIONS);
            assertThat(warmed).as("every one of them opened by the warm-up").containsAll(later);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theWarmUpsRequestsGoInsideATraceNobodyRecords() throws Exception {
        List<String> traceparents = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(ReadinessController.PATH, exchange -> {
            traceparents.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
            answer(exchange, ConcurrentHashMap.newKeySet());
        });
        server.start();
        try (RecordingTracer tracing = new RecordingTracer()) {
            // a client observed as the services' are: Micrometer's tracing handlers after Nightjar's untraced sends
            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new UntracedSends(tracing.tracer, tracing.propagator),
                    new PropagatingSenderTracingObservationHandler<>(tracing.tracer, tracing.propagator),
                    new DefaultTracingObservationHandler(tracing.tracer)));
            RestClient client = RestClient.builder()
                    .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null))
                    .baseUrl("http://127.0.0.1:" + server.getAddress().getPort()).observationRegistry(observations).build();

            assertThat(ConnectionWarmUp.open(client, 4, Duration.ofSeconds(5), null)).isEqualTo(4);
            assertThat(traceparents).as("without a tracer each request starts a recorded trace").hasSize(4)
                    .allSatisfy(traceparent -> assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[13]"));
            assertThat(tracing.exported).hasSize(4);

            traceparents.clear();
            tracing.exported.clear();
            assertThat(ConnectionWarmUp.open(client, 4, Duration.ofSeconds(5), tracing.tracer)).isEqualTo(4);
            assertThat(traceparents).as("passed on as not sampled").hasSize(4)
                    .allSatisfy(traceparent -> assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00"));
            assertThat(tracing.exported).as("nothing recorded").isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDependencyThatIsNotReadyCountsNoConnectionOpen() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(ReadinessController.PATH, exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        try {
            int opened = ConnectionWarmUp.open(client("http://127.0.0.1:" + server.getAddress().getPort()), CONNECTIONS,
                    Duration.ofSeconds(5));

            assertThat(opened).isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDependencyNotReadyAtTheStartGetsItsConnectionsInTheBackgroundOnceItIsReady() throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        Set<Integer> warmed = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(ReadinessController.PATH, exchange -> {
            if (ready.get()) {
                answer(exchange, warmed);
            } else {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
            }
        });
        server.start();
        ConnectionWarmUp warmUp = new ConnectionWarmUp(Map.of("dependency", new ConnectionWarmUp.Target(
                client("http://127.0.0.1:" + server.getAddress().getPort()), CONNECTIONS)), Duration.ofSeconds(2),
                Duration.ofSeconds(30));
        try {
            warmUp.start();
            assertThat(warmUp.retrying()).as("still short of connections after the start").isTrue();
            assertThat(warmed).isEmpty();

            ready.set(true);
            awaitBackgroundEnd(warmUp, Duration.ofSeconds(20));

            assertThat(warmUp.retrying()).as("the background stopped once the connections were open").isFalse();
            assertThat(warmed).as("one connection per request, all opened once the dependency was ready").hasSize(CONNECTIONS);
        } finally {
            warmUp.stop();
            server.stop(0);
        }
    }

    @Test
    void theBackgroundEndsWhenTheServiceStops() throws Exception {
        int closedPort = closedPort();
        ConnectionWarmUp warmUp = new ConnectionWarmUp(Map.of("away", new ConnectionWarmUp.Target(
                client("http://127.0.0.1:" + closedPort), CONNECTIONS)), Duration.ofSeconds(1), Duration.ofMinutes(10));
        warmUp.start();
        assertThat(warmUp.retrying()).isTrue();

        warmUp.stop();

        awaitBackgroundEnd(warmUp, Duration.ofSeconds(10));
        assertThat(warmUp.retrying()).isFalse();
    }

    @Test
    void aDependencyThatNeverAnswersCostsNoMoreThanTheBudget() throws Exception {
        // accepted by the kernel's backlog, never read: the requests are sent and wait for an answer
        try (ServerSocket silent = new ServerSocket(0, 64, InetAddress.getLoopbackAddress())) {
            RestClient client = client("http://127.0.0.1:" + silent.getLocalPort());
            long start = System.nanoTime();

            int opened = ConnectionWarmUp.open(client, CONNECTIONS, Duration.ofSeconds(1));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(opened).isZero();
            assertThat(took).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aDependencyThatIsDownOpensNothingAndCostsFarLessThanTheBudget() throws Exception {
        int closedPort = closedPort();
        long start = System.nanoTime();

        int opened = ConnectionWarmUp.open(client("http://127.0.0.1:" + closedPort), CONNECTIONS, Duration.ofSeconds(30));

        assertThat(opened).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    /** A loopback port nobody listens on: a connection to it is refused at once. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Polls until the warm-up's background has ended or {@code timeout} has passed. */
    private static void awaitBackgroundEnd(ConnectionWarmUp warmUp, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (warmUp.retrying() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    private static RestClient client(String url) {
        return RestClient.builder()
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null))
                .baseUrl(url)
                .build();
    }

    private static void answer(HttpExchange exchange, Set<Integer> ports) throws IOException {
        ports.add(exchange.getRemoteAddress().getPort());
        byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (var out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
