package dev.nightjar.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The warm-up sends every round of its requests to the service's own port with the headers it promises, counts
 * the answers against the statuses declared, stops at its budget, and fails the start only when strict.
 */
class RequestPathWarmUpTest {

    /** What the server saw of one request. */
    private record Seen(String method, String path, String body, String traceparent, String userAgent, String extra,
                        String identity, String mark) {
    }

    private final Queue<Seen> seen = new ConcurrentLinkedQueue<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/refused", exchange -> answer(exchange, 400));
        server.createContext("/missing", exchange -> answer(exchange, 404));
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, 200);
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyRoundSendsEveryRequestWithAnUnsampledTraceAndItsHeaders() {
        List<RequestPathWarmUp.Request> requests = List.of(
                RequestPathWarmUp.Request.post("/refused", Map.of("amount", 0), 400).withHeader("Idempotency-Key", "k"),
                RequestPathWarmUp.Request.get("/missing", 404));
        RequestPathWarmUp warmUp = warmUp(requests, 25, Duration.ofSeconds(30), false);

        warmUp.run(null);

        RequestPathWarmUp.Outcome outcome = warmUp.outcome();
        assertThat(outcome.rounds()).isEqualTo(25);
        assertThat(outcome.asExpected()).isEqualTo(50);
        assertThat(outcome.unexpected()).isEmpty();
        assertThat(seen).hasSize(50);
        assertThat(seen).filteredOn(request -> request.path().equals("/refused")).hasSize(25)
                .allSatisfy(request -> {
                    assertThat(request.method()).isEqualTo("POST");
                    assertThat(request.body()).isEqualTo("{\"amount\":0}");
                    assertThat(request.extra()).isEqualTo("k");
                });
        assertThat(seen).filteredOn(request -> request.path().equals("/missing")).hasSize(25)
                .allSatisfy(request -> assertThat(request.extra()).isNull());
        assertThat(seen).allSatisfy(request -> {
            assertThat(request.traceparent()).as("a W3C trace context, not sampled").matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
            assertThat(request.userAgent()).isEqualTo(RequestPathWarmUp.USER_AGENT);
            assertThat(request.identity()).isEqualTo("URI=spiffe://nightjar.local/ns/nightjar/sa/test-service");
        });
        assertThat(seen.stream().map(Seen::traceparent).distinct()).as("a trace of its own for each request").hasSize(50);
    }

    @Test
    void onlyTheWarmUpsOwnRequestsGoUnobserved() {
        RequestPathWarmUp warmUp = warmUp(List.of(RequestPathWarmUp.Request.get("/missing", 404)), 3,
                Duration.ofSeconds(30), false);
        warmUp.run(null);
        String mark = seen.peek().mark();
        assertThat(seen).allSatisfy(request -> assertThat(request.mark()).isEqualTo(mark));
        ObservationPredicate observed = RequestPathWarmUp.unobserved(() -> warmUp);

        assertThat(observed.test("http.server.requests", serverContext(mark))).as("the warm-up's request").isFalse();
        assertThat(observed.test("http.server.requests", serverContext(null))).as("a request without the mark").isTrue();
        assertThat(observed.test("http.server.requests", serverContext("0".repeat(32)))).as("a guessed mark").isTrue();
        assertThat(observed.test("jdbc", new Observation.Context())).as("anything but a server request").isTrue();
        assertThat(RequestPathWarmUp.unobserved(() -> null).test("http.server.requests", serverContext(mark)))
                .as("a service without a warm-up").isTrue();
    }

    private static ServerRequestObservationContext serverContext(String mark) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/missing");
        if (mark != null) {
            request.addHeader(RequestPathWarmUp.HEADER, mark);
        }
        return new ServerRequestObservationContext(request, new MockHttpServletResponse());
    }

    @Test
    void theWarmUpIsLookedUpUntilFoundAndThenKept() {
        RequestPathWarmUp warmUp = warmUp(List.of(RequestPathWarmUp.Request.get("/missing", 404)), 1,
                Duration.ofSeconds(30), false);
        warmUp.run(null);
        String mark = seen.peek().mark();
        AtomicInteger lookups = new AtomicInteger();
        AtomicReference<RequestPathWarmUp> made = new AtomicReference<>();
        ObservationPredicate observed = RequestPathWarmUp.unobserved(() -> {
            lookups.incrementAndGet();
            return made.get();
        });

        assertThat(observed.test("http.server.requests", serverContext(mark))).as("before the warm-up is made").isTrue();
        assertThat(observed.test("http.server.requests", serverContext(mark))).isTrue();
        assertThat(lookups).as("looked up on each request until made").hasValue(2);
        made.set(warmUp);
        for (int i = 0; i < 5; i++) {
            assertThat(observed.test("http.server.requests", serverContext(mark))).isFalse();
            assertThat(observed.test("http.server.requests", serverContext(null))).isTrue();
        }
        assertThat(lookups).as("once found, never looked up again").hasValue(3);
    }

    @Test
    void anAnswerOtherThanDeclaredFailsTheStartOnlyWhenStrict() {
        List<RequestPathWarmUp.Request> requests = List.of(RequestPathWarmUp.Request.get("/missing", 200));

        RequestPathWarmUp lenient = warmUp(requests, 3, Duration.ofSeconds(30), false);
        lenient.run(null);
        assertThat(lenient.outcome().unexpected()).containsExactly(Map.entry("GET /missing -> 404", 3L));
        assertThat(lenient.outcome().asExpected()).isZero();

        assertThatThrownBy(() -> warmUp(requests, 3, Duration.ofSeconds(30), true).run(null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("GET /missing -> 404");
    }

    @Test
    void aServiceThatDoesNotAnswerCostsTheStartNoMoreThanTheBudget() {
        server.stop(0);
        RequestPathWarmUp warmUp = warmUp(List.of(RequestPathWarmUp.Request.get("/missing", 404)), 5,
                Duration.ofSeconds(30), false);

        warmUp.run(null);

        assertThat(warmUp.outcome().unexpected()).containsOnlyKeys("GET /missing -> ResourceAccessException");
    }

    @Test
    void theWarmUpStopsAtItsBudget() {
        RequestPathWarmUp warmUp = warmUp(List.of(RequestPathWarmUp.Request.get("/slow", 200)), 1_000,
                Duration.ofMillis(600), false);

        warmUp.run(null);

        // two senders, 200 ms an answer: about three rounds each before the budget, then the one under way
        assertThat(warmUp.outcome().rounds()).isBetween(2, 10);
        assertThat(warmUp.outcome().millis()).isLessThan(5_000);
        assertThat(warmUp.outcome().unexpected()).isEmpty();
    }

    @Test
    void noRoundsSendNothing() {
        RequestPathWarmUp warmUp = warmUp(List.of(RequestPathWarmUp.Request.get("/missing", 404)), 0,
                Duration.ofSeconds(30), true);

        warmUp.run(null);

        assertThat(warmUp.outcome()).isNull();
        assertThat(seen).isEmpty();
    }

    private RequestPathWarmUp warmUp(List<RequestPathWarmUp.Request> requests, int rounds, Duration budget, boolean strict) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        return new RequestPathWarmUp(() -> new RequestPathWarmUp.Target(url, null,
                Map.of("X-Forwarded-Client-Cert", "URI=spiffe://nightjar.local/ns/nightjar/sa/test-service")),
                requests, rounds, 2, budget, strict);
    }

    private void answer(HttpExchange exchange, int status) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body,
                exchange.getRequestHeaders().getFirst("traceparent"), exchange.getRequestHeaders().getFirst("User-Agent"),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                exchange.getRequestHeaders().getFirst("X-Forwarded-Client-Cert"),
                exchange.getRequestHeaders().getFirst(RequestPathWarmUp.HEADER)));
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }
}
