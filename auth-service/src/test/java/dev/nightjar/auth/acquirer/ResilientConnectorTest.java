package dev.nightjar.auth.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.http.PooledHttp;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.web.client.RestClient;

/**
 * An acquirer's breaker counts what the acquirer did, not what this service could not even try: right after
 * auth-service starts, every call needs a new TLS connection, and the calls that wait in vain for a turn at a
 * handshake must not open the breaker of an acquirer that is fine.
 */
class ResilientConnectorTest {

    private static final AcquirerConnector.Card CARD = new AcquirerConnector.Card("4242424242424242", 12, 2030, "123");

    @Test
    void callsThatNeverGotAHandshakeTurnLeaveTheBreakerClosed() throws Exception {
        CircuitBreaker breaker = breaker();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                ServerSocket acquirer = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            neverFinishHandshakes(acquirer, threads);
            ResilientConnector connector = new ResilientConnector(new SimulatorConnector("acquirer-a",
                    settings("https://localhost:" + acquirer.getLocalPort()), RestClient.builder(), SslBundle.of(SslStoreBundle.NONE)),
                    breaker, bulkhead());
            List<Future<AcquirerResult>> calls = IntStream.range(0, 12).mapToObj(i -> threads.submit(
                    () -> connector.authorize("auth_" + i, "mer_1", 100, "EUR", CARD, true))).toList();
            List<AcquirerResult> results = calls.stream().map(ResilientConnectorTest::get).toList();

            assertThat(results).allMatch(AcquirerResult.Failed.class::isInstance);
            List<AcquirerResult.Failed> notTried = results.stream().map(AcquirerResult.Failed.class::cast)
                    .filter(failed -> !failed.tried()).toList();
            assertThat(notTried).as("calls that waited in vain for a handshake turn").hasSizeGreaterThanOrEqualTo(12 - 2 * PooledHttp.HANDSHAKES_PER_TARGET)
                    .allMatch(failed -> failed.reason().startsWith(AcquirerResult.Failed.NOT_CALLED + "no turn for a TLS handshake"));
            assertThat(breaker.getMetrics().getNumberOfFailedCalls()).as("only the calls that tried count")
                    .isEqualTo(12 - notTried.size());
            assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void failuresAfterTheAcquirerWasTriedOpenTheBreaker() {
        CircuitBreaker breaker = breaker();
        ResilientConnector connector = new ResilientConnector(answering(new AcquirerResult.Failed("acquirer answered HTTP 500")),
                breaker, bulkhead());
        for (int i = 0; i < 12; i++) {
            connector.authorize("auth_" + i, "mer_1", 100, "EUR", CARD, true);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(connector.authorize("auth_x", "mer_1", 100, "EUR", CARD, true))
                .isEqualTo(AcquirerResult.Failed.notTried("the circuit breaker of acquirer-a is open"));
    }

    @Test
    void failuresBeforeTheAcquirerWasTriedNeverOpenIt() {
        CircuitBreaker breaker = breaker();
        ResilientConnector connector = new ResilientConnector(
                answering(AcquirerResult.Failed.notTried("no turn for a TLS handshake with localhost:1")), breaker, bulkhead());
        for (int i = 0; i < 40; i++) {
            connector.authorize("auth_" + i, "mer_1", 100, "EUR", CARD, true);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    private static CircuitBreaker breaker() {
        // the service's defaults (AcquirerProperties): 50 % of the last 20 calls, once 10 were made
        return CircuitBreaker.of("acquirer-a", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(20).minimumNumberOfCalls(10).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(10)).build());
    }

    private static Bulkhead bulkhead() {
        return Bulkhead.of("acquirer-a", BulkheadConfig.custom().maxConcurrentCalls(64).maxWaitDuration(Duration.ZERO).build());
    }

    private static AcquirerProperties.Acquirer settings(String url) {
        return new AcquirerProperties.Acquirer(url, Duration.ofSeconds(1), Duration.ofSeconds(3), 0, 64, 50, 20, 10,
                Duration.ofSeconds(10), 3, 0);
    }

    private static AcquirerConnector answering(AcquirerResult result) {
        return new AcquirerConnector() {
            @Override
            public String name() {
                return "acquirer-a";
            }

            @Override
            public AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card,
                                            boolean capture) {
                return result;
            }

            @Override
            public AcquirerResult capture(String reference, String authorization, long amountMinor, String currency) {
                return result;
            }

            @Override
            public AcquirerResult voidAuthorization(String reference, String authorization) {
                return result;
            }

            @Override
            public AcquirerResult refund(String reference, String authorization, long amountMinor, String currency) {
                return result;
            }
        };
    }

    /** Takes connections and reads the client's hello, but never answers it. */
    private static void neverFinishHandshakes(ServerSocket server, ExecutorService threads) {
        threads.execute(() -> {
            try {
                while (true) {
                    Socket socket = server.accept();
                    threads.execute(() -> {
                        try (socket; InputStream in = socket.getInputStream()) {
                            in.readAllBytes();
                        } catch (IOException closed) {
                            // the caller gave up
                        }
                    });
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
