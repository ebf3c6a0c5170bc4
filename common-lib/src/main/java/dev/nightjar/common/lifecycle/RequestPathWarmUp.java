package dev.nightjar.common.lifecycle;

import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.PooledHttp;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.client.RestClient;

/**
 * Sends the service's own request path requests that change nothing, as the service itself, through its own
 * port, before it reports ready. A service's first minute after a start is its JIT's: ten JVMs on two cores
 * interpret and compile the TLS, filters, security, observation, MVC, Jackson and JDBC code of the request path
 * while the first payments wait, and the fleet's first 20 s after {@code ./nightjar up} shed requests for it
 * (docs/performance.md). Here the compiling happens while nobody waits: Spring Boot runs this after the web server
 * has opened its port and before it marks the service ready ({@code readinessState} is {@code OUT_OF_SERVICE}
 * until then, so an orchestrator sends no traffic and {@code ./nightjar up} waits).
 *
 * <p>Each service names its requests ({@link Requests}): requests its code refuses before writing anything (a
 * body that fails validation), or reads of something that does not exist, each with the status it must get. The
 * requests carry a {@code traceparent} that is not sampled, and {@link #HEADER} with a value only this process
 * knows, by which {@link #sent} tells them apart: the service then records no observation of them, so they are
 * in no metric, SLO or trace. {@code rounds} rounds of them go out from
 * {@code parallel} virtual threads until the rounds are done or {@code budget} is spent. It never fails the start
 * unless {@code strict} (the tests' setting, so a request that no longer gets its status is seen): an answer that
 * differs is logged.
 */
public final class RequestPathWarmUp implements ApplicationRunner, Ordered {

    /** What the warm-up sends as its {@code User-Agent}, so an access log tells its requests apart. */
    public static final String USER_AGENT = "nightjar-warm-up";

    /** The merchant the warm-up's requests name: none has this id, since merchants' ids are generated. */
    public static final String MERCHANT = "mer_warmup";

    private static final Logger log = LoggerFactory.getLogger(RequestPathWarmUp.class);

    /**
     * One request and the status it must be answered with; {@code body} is sent as JSON, or nothing when null,
     * with the request's own {@code headers} beside the warm-up's.
     */
    public record Request(HttpMethod method, String path, Object body, Map<String, String> headers, int expectedStatus) {

        public Request {
            headers = Map.copyOf(headers);
        }

        public static Request get(String path, int expectedStatus) {
            return new Request(HttpMethod.GET, path, null, Map.of(), expectedStatus);
        }

        public static Request post(String path, Object body, int expectedStatus) {
            return new Request(HttpMethod.POST, path, body, Map.of(), expectedStatus);
        }

        /** The same request with one more header. */
        public Request withHeader(String name, String value) {
            Map<String, String> more = new java.util.HashMap<>(headers);
            more.put(name, value);
            return new Request(method, path, body, more, expectedStatus);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** A service's warm-up requests: a bean of this type adds them; every service also sends the readiness check. */
    @FunctionalInterface
    public interface Requests {

        List<Request> requests();
    }

    /** Where the warm-up sends and as whom. */
    public record Target(String baseUrl, SslBundle ssl, Map<String, String> headers) {
    }

    /** What a warm-up did: rounds completed, requests answered as expected, and the answers that were not. */
    public record Outcome(int rounds, long asExpected, Map<String, Long> unexpected, long millis) {
    }

    /**
     * The header that marks the warm-up's requests, with a value drawn at each start and known only inside this
     * process: the caller check lets the service's own identity past the call graph only with it, and no
     * observation is made of such a request. Someone who copied the header, or stole the service's key, would
     * not know the value.
     */
    public static final String HEADER = "Nightjar-Warm-Up";

    private final String mark = HexFormat.of().formatHex(randomBytes());
    private final byte[] markBytes = mark.getBytes(StandardCharsets.US_ASCII);
    private final Supplier<Target> target;
    private final List<Request> requests;
    private final int rounds;
    private final int parallel;
    private final Duration budget;
    private final boolean strict;
    private volatile Outcome outcome;

    /**
     * @param target   the service's own base URL and TLS identity, known once its port is open
     * @param requests what to send in each round
     * @param rounds   how many rounds; zero for no warm-up
     * @param parallel how many rounds at once
     * @param budget   the most time to spend
     * @param strict   fail the start when an answer differs from its expected status (tests)
     */
    public RequestPathWarmUp(Supplier<Target> target, List<Request> requests, int rounds,
                             int parallel, Duration budget, boolean strict) {
        this.target = target;
        this.requests = List.copyOf(requests);
        this.rounds = rounds;
        this.parallel = Math.max(1, parallel);
        this.budget = budget;
        this.strict = strict;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (rounds <= 0 || requests.isEmpty()) {
            return;
        }
        Outcome done = warm(client(target.get(), mark));
        outcome = done;
        if (done.unexpected().isEmpty()) {
            log.info("request-path warm-up: {} rounds of {} requests in {} ms, every answer as expected", done.rounds(),
                    requests.size(), done.millis());
            return;
        }
        String message = "request-path warm-up: " + done.rounds() + " rounds in " + done.millis()
                + " ms; answers other than expected: " + done.unexpected();
        if (strict) {
            throw new IllegalStateException(message);
        }
        log.warn(message);
    }

    /**
     * Whether a request is one of this warm-up's: its server observation is then not recorded, so the warm-up's
     * 4xx answers, and its first slow ones, count in no SLO and no dashboard.
     */
    public boolean sent(HttpServletRequest request) {
        String value = request.getHeader(HEADER);
        // compared in constant time: how long a guess takes to refuse says nothing of the value
        return value != null && MessageDigest.isEqual(markBytes, value.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Whether a request was sent by the warm-up {@code warmUp} gives, when it gives one: what the caller check and
     * the observations ask, of a warm-up made after them. The warm-up is looked up until it is found, then kept:
     * every request asks, and a lookup in the bean factory cost 2-5 % of a service's CPU at load.
     */
    public static Predicate<HttpServletRequest> sentBy(Supplier<RequestPathWarmUp> warmUp) {
        AtomicReference<RequestPathWarmUp> found = new AtomicReference<>();
        return request -> {
            RequestPathWarmUp current = found.get();
            if (current == null) {
                current = warmUp.get();
                found.set(current);
            }
            return current != null && current.sent(request);
        };
    }

    /** Observes every server request but the warm-up's ({@link #sentBy}); a service without a warm-up observes all. */
    public static ObservationPredicate unobserved(Supplier<RequestPathWarmUp> warmUp) {
        Predicate<HttpServletRequest> sent = sentBy(warmUp);
        return (name, context) -> !(context instanceof ServerRequestObservationContext server
                && sent.test(server.getCarrier()));
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** What the last run did, or null before it ran; for tests. */
    public Outcome outcome() {
        return outcome;
    }

    /** Runs the rounds; each request's answer is read to its end so its connection goes back to the pool. */
    Outcome warm(RestClient client) {
        long start = System.nanoTime();
        long deadline = start + budget.toNanos();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        LongAdder asExpected = new LongAdder();
        Map<String, LongAdder> unexpected = new ConcurrentHashMap<>();
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < parallel; i++) {
                senders.execute(() -> {
                    while (next.getAndIncrement() < rounds && System.nanoTime() < deadline) {
                        for (Request request : requests) {
                            String answer = send(client, request);
                            if (Integer.toString(request.expectedStatus()).equals(answer)) {
                                asExpected.increment();
                            } else {
                                unexpected.computeIfAbsent(request + " -> " + answer, key -> new LongAdder()).increment();
                            }
                        }
                        completed.incrementAndGet();
                    }
                });
            }
        }
        Map<String, Long> differing = new java.util.TreeMap<>();
        unexpected.forEach((key, count) -> differing.put(key, count.sum()));
        return new Outcome(completed.get(), asExpected.sum(), differing, (System.nanoTime() - start) / 1_000_000);
    }

    /** The answer's status, or what went wrong instead. */
    private static String send(RestClient client, Request request) {
        try {
            RestClient.RequestBodySpec spec = client.method(request.method()).uri(request.path())
                    .header("traceparent", unsampledTraceparent())
                    .headers(headers -> request.headers().forEach(headers::set));
            if (request.body() != null) {
                spec.contentType(MediaType.APPLICATION_JSON).body(request.body());
            }
            return spec.exchange((sent, response) -> {
                response.getBody().transferTo(OutputStream.nullOutputStream());
                return Integer.toString(response.getStatusCode().value());
            });
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName();
        }
    }

    /** A W3C trace context whose sampled flag is off: the service traces the request but exports nothing. */
    static String unsampledTraceparent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HexFormat hex = HexFormat.of();
        return "00-" + hex.toHexDigits(random.nextLong() | 1) + hex.toHexDigits(random.nextLong()) + "-"
                + hex.toHexDigits(random.nextLong() | 1) + "-00";
    }

    private static RestClient client(Target target, String mark) {
        return RestClient.builder()
                .baseUrl(target.baseUrl())
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(10), target.ssl()))
                .messageConverters(InternalClients::fleetJson)
                .defaultHeaders(headers -> {
                    headers.set(HttpHeaders.USER_AGENT, USER_AGENT);
                    headers.set(HEADER, mark);
                    target.headers().forEach(headers::set);
                })
                .build();
    }

    /** After every other runner: the last thing before the service reports ready. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
