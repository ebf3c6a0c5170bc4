package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nightjar.common.lang.Causes;
import dev.nightjar.common.lifecycle.Watchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * The pooled client's reads wait untimed and the watchdog keeps each call's time: a peer that never answers,
 * or stops halfway through its body, is given up at the call's read timeout as a read timeout, which every
 * caller already classifies as "no answer in time"; an answered call leaves nothing armed and its connection
 * in the pool.
 */
class WatchedCallsTest {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(500);

    private final Watchdog watchdog = new Watchdog("watched-calls-test", Watchdog.TICK, System::nanoTime);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releasePeers() {
        release.countDown();
    }

    @Test
    void aPeerThatNeverAnswersIsGivenUpAtTheReadTimeoutAsAReadTimeout() throws IOException {
        try (ServerSocket peer = peer(socket -> { })) {
            long started = System.nanoTime();
            Throwable failure = catchThrowable(() -> client(peer).get().uri("/silent").retrieve().toBodilessEntity());
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(Causes.first(failure, SocketTimeoutException.class)).as("a read timeout: %s", failure).isPresent();
            assertThat(waited).isGreaterThanOrEqualTo(READ_TIMEOUT).isLessThan(Duration.ofSeconds(5));
            assertThat(watchdog.armedCount()).isZero();
        }
    }

    @Test
    void aPeerThatStopsHalfwayThroughItsBodyIsGivenUpAtTheReadTimeoutToo() throws IOException {
        try (ServerSocket peer = peer(socket -> write(socket,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"status\":"))) {
            long started = System.nanoTime();
            Throwable failure = catchThrowable(() -> client(peer).get().uri("/halfway").retrieve().body(String.class));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(Causes.first(failure, SocketTimeoutException.class)).as("a read timeout: %s", failure).isPresent();
            assertThat(waited).isGreaterThanOrEqualTo(READ_TIMEOUT).isLessThan(Duration.ofSeconds(5));
            assertThat(watchdog.armedCount()).isZero();
        }
    }

    @Test
    void answeredCallsLeaveNothingArmedAndShareOneConnection() throws IOException {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket peer = peer(socket -> {
            connections.incrementAndGet();
            write(socket, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
            awaitRequest(socket);
            write(socket, "HTTP/1.1 204 No Content\r\n\r\n");
            awaitRequest(socket);
            write(socket, "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\ngone");
        })) {
            RestClient client = client(peer);

            assertThat(client.get().uri("/body").retrieve().body(String.class)).isEqualTo("ok");
            assertThat(client.get().uri("/empty").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(204);
            assertThat(catchThrowable(() -> client.get().uri("/missing").retrieve().body(String.class)))
                    .isInstanceOf(HttpClientErrorException.NotFound.class);

            assertThat(watchdog.armedCount()).as("every watch disarmed").isZero();
            assertThat(connections).as("one kept-alive connection for the three calls").hasValue(1);
        }
    }

    private RestClient client(ServerSocket peer) {
        return RestClient.builder()
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), READ_TIMEOUT, null, watchdog))
                .baseUrl("http://127.0.0.1:" + peer.getLocalPort())
                .build();
    }

    private interface Answer {
        void on(Socket socket) throws IOException;
    }

    /**
     * A peer that reads each connection's first request, gives {@code answer}, and then holds the connection
     * open until the test ends.
     */
    private ServerSocket peer(Answer answer) throws IOException {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (socket) {
                            awaitRequest(socket);
                            answer.on(socket);
                            release.await(30, TimeUnit.SECONDS);
                        } catch (IOException | InterruptedException e) {
                            // the client gave up first: the test's assertions say what it saw
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    /** Reads one request head (these tests send no bodies). */
    private static void awaitRequest(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        int matched = 0;
        byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed the connection");
            }
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
