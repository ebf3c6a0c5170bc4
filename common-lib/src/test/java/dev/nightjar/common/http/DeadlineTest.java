package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.error.ApiException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

class DeadlineTest {

    @Test
    void withoutADeadlineACallKeepsItsOwnTimeout() {
        assertThat(Deadline.cap(Duration.ofSeconds(8))).isNull();
    }

    @Test
    void aCallWaitsNoLongerThanTheTimeLeftAndTheSoonerDeadlineWins() {
        Duration capped = Deadline.within(Duration.ofSeconds(2), () -> Deadline.cap(Duration.ofSeconds(8)));
        assertThat(capped).isLessThanOrEqualTo(Duration.ofSeconds(2)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(Deadline.within(Duration.ofSeconds(30), () -> Deadline.cap(Duration.ofSeconds(8))))
                .as("its own timeout when shorter").isEqualTo(Duration.ofSeconds(8));
        Duration nested = Deadline.within(Duration.ofSeconds(2),
                () -> Deadline.within(Duration.ofSeconds(30), () -> Deadline.cap(Duration.ofSeconds(8))));
        assertThat(nested).as("an inner budget never extends the outer one").isLessThanOrEqualTo(Duration.ofSeconds(2));
        assertThat(Deadline.cap(Duration.ofSeconds(8))).as("gone once the request is done").isNull();
    }

    @Test
    void theTimeLeftIsReadOnlyWhereADeadlineIsInForce() {
        assertThat(Deadline.left()).isEmpty();
        Duration left = Deadline.within(Duration.ofSeconds(2), () -> Deadline.left().orElseThrow());
        assertThat(left).isLessThanOrEqualTo(Duration.ofSeconds(2)).isGreaterThan(Duration.ofSeconds(1));
        assertThat(Deadline.within(Duration.ofSeconds(-1), () -> Deadline.left().orElseThrow())).isNegative();
        assertThat(Deadline.left()).isEmpty();
    }

    @Test
    void withTooLittleLeftACallIsNotStartedAndTheRequestIsA503() {
        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(100), () -> Deadline.cap(Duration.ofSeconds(8))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.headers()).containsKey(ApiException.RETRY_AFTER);
                });
    }

    @Test
    void aSlowAnswerIsGivenUpOnWhenTheRequestsTimeIsUpNotAtTheCallsOwnTimeout() throws IOException {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer slow = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        slow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        slow.createContext("/", exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
                exchange.sendResponseHeaders(200, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        slow.start();
        try {
            RestClient client = RestClient.builder()
                    .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(8), null))
                    .baseUrl("http://127.0.0.1:" + slow.getAddress().getPort())
                    .build();
            long started = System.nanoTime();
            assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(1500),
                    () -> client.get().uri("/slow").retrieve().toBodilessEntity()))
                    .isInstanceOf(ResourceAccessException.class);
            Duration waited = Duration.ofNanos(System.nanoTime() - started);
            assertThat(waited).as("the 1.5 s left, not the call's 8 s").isLessThan(Duration.ofSeconds(4));
        } finally {
            release.countDown();
            slow.stop(0);
        }
    }

    @Test
    void theWaitForAnAnswerIsSetFromTheTimeLeftWhenTheRequestGoesOutAndWithTooLittleItDoesNot() {
        HttpClientContext untouched = HttpClientContext.create();
        assertThat(DeadlineInterceptor.answerWait(untouched, Duration.ofSeconds(8)))
                .as("no deadline: the call's own timeout").isEqualTo(Duration.ofSeconds(8));

        HttpClientContext context = HttpClientContext.create();
        Duration wait = Deadline.within(Duration.ofMillis(1_500),
                () -> DeadlineInterceptor.answerWait(context, Duration.ofSeconds(8)));
        assertThat(wait.toMillis()).as("what was left").isLessThanOrEqualTo(1_500).isGreaterThan(1_000);
        assertThat(context.getRequestConfig().getResponseTimeout().isDisabled())
                .as("the socket reads untimed: the watchdog keeps the time").isTrue();

        assertThatThrownBy(() -> Deadline.within(Duration.ofMillis(100),
                () -> DeadlineInterceptor.answerWait(HttpClientContext.create(), Duration.ofSeconds(8))))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
    }
}
