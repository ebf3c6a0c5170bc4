package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * A server that takes connections but never finishes a TLS handshake (a cold JVM on a busy host, at its worst):
 * twelve callers at once must not start twelve handshakes, and none may wait for it longer than the handshake
 * timeout, whatever the read timeout.
 */
class HandshakeGateTest {

    private static final Duration CONNECT = Duration.ofSeconds(1);
    private static final Duration READ = Duration.ofSeconds(8);
    private static final Duration HANDSHAKE = PooledHttp.handshakeTimeout(CONNECT, READ);

    @Test
    void callersTakeTurnsForTlsHandshakesAndGiveUpAfterTheHandshakeTimeout() throws Exception {
        ConcurrentLinkedQueue<Long> helloNanos = new ConcurrentLinkedQueue<>();
        // declared second, closed first: the accepting thread ends before the executor waits for it
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress())) {
            threads.execute(() -> {
                try {
                    while (true) {
                        Socket socket = server.accept();
                        threads.execute(() -> {
                            try (socket; InputStream in = socket.getInputStream()) {
                                if (in.read() >= 0) {
                                    helloNanos.add(System.nanoTime());
                                }
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
            RestClient client = RestClient.builder()
                    .requestFactory(PooledHttp.requestFactory(CONNECT, READ,
                            SslBundle.of(SslStoreBundle.NONE)))
                    .baseUrl("https://localhost:" + server.getLocalPort())
                    .build();
            ConcurrentLinkedQueue<ResourceAccessException> failures = new ConcurrentLinkedQueue<>();
            List<Future<Duration>> calls = IntStream.range(0, 12).mapToObj(i -> threads.submit(() -> {
                long started = System.nanoTime();
                try {
                    client.get().uri("/").retrieve().toBodilessEntity();
                    throw new AssertionError("a server that never finishes a handshake answered");
                } catch (ResourceAccessException expected) {
                    failures.add(expected);
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            })).toList();
            for (Future<Duration> call : calls) {
                assertThat(call.get()).as("given up at the handshake timeout, not the 8 s read timeout")
                        .isLessThan(HANDSHAKE.multipliedBy(2).plusMillis(500)).isLessThan(READ);
            }
            // as the caller sees it, through the HTTP client's own wrapping of connect failures
            assertThat(failures.stream().filter(NoHandshakeTurn::among).count())
                    .as("callers that waited in vain for a turn, recognisable as such")
                    .isGreaterThanOrEqualTo(12L - 2 * PooledHttp.HANDSHAKES_PER_TARGET);
            long first = helloNanos.stream().mapToLong(Long::longValue).min().orElseThrow();
            long beforeAnyTurnEnded = helloNanos.stream()
                    .filter(at -> at - first < HANDSHAKE.minusMillis(300).toNanos()).count();
            assertThat(beforeAnyTurnEnded).as("handshakes started before the first ones could time out")
                    .isBetween(1L, (long) PooledHttp.HANDSHAKES_PER_TARGET);
        }
    }

    @Test
    void aHandshakeWaitsLikeAConnectAndAtLeastTwoSecondsButNeverLongerThanForAnAnswer() {
        assertThat(PooledHttp.handshakeTimeout(Duration.ofSeconds(1), Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
        assertThat(PooledHttp.handshakeTimeout(Duration.ofSeconds(3), Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(3));
        assertThat(PooledHttp.handshakeTimeout(Duration.ofSeconds(1), Duration.ofMillis(1500))).isEqualTo(Duration.ofMillis(1500));
    }
}
