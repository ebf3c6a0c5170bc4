package dev.nightjar.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.RemoteCallException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;

class ServiceGateTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private static void unanswered(ServiceGate gate) {
        assertThatThrownBy(() -> gate.fetch(() -> {
            throw new ResourceAccessException("Connect to https://localhost:9102 failed: Connection refused");
        })).isInstanceOf(ResourceAccessException.class);
    }

    @Test
    void afterThreeUnansweredCallsRequestsAreRefusedAtOnceWithRetryAfterAndNotRun() {
        ServiceGate gate = new ServiceGate("transaction-service", 8, 8, Duration.ZERO, meters);
        for (int i = 0; i < 3; i++) {
            unanswered(gate);
        }
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> gate.admit(ran::incrementAndGet))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.headers()).containsKey(ApiException.RETRY_AFTER).doesNotContainKey(ApiException.BUSY);
                });
        assertThat(ran).as("the card is not tokenized, nothing is called").hasValue(0);
        assertThat(meters.get("nightjar.gateway.refused").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRefusalOfTheRequestItselfIsAnAnswerNotAnOutage() {
        ServiceGate gate = new ServiceGate("transaction-service", 8, 8, Duration.ZERO, meters);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> gate.fetch(() -> {
                throw new RemoteCallException("transaction-service", 409, null);
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThat(gate.fetch(() -> "answered")).isEqualTo("answered");
    }

    @Test
    void aServiceSheddingRequestsItIsTooBusyForStaysAdmittingAndItsGateKeepsGrowing() {
        AtomicLong nanos = new AtomicLong();
        ServiceGate gate = new ServiceGate("transaction-service", 2, 6, Duration.ofSeconds(60), meters, nanos::get);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> gate.fetch(() -> {
                throw new RemoteCallException("transaction-service", 503, null, true);
            })).isInstanceOfSatisfying(RemoteCallException.class,
                    e -> assertThat(e.headers()).as("passed on as busy").containsEntry(ApiException.BUSY, "true"));
        }
        assertThat(gate.admit(() -> "admitted")).as("ten sheds in a row are not an outage").isEqualTo("admitted");
        assertThat(gate.bound()).as("half-way through its warm-up, not back to cold").isEqualTo(4);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> gate.fetch(() -> {
                throw new RemoteCallException("transaction-service", 503, null);
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThatThrownBy(() -> gate.admit(() -> "refused")).as("three 503s of a service that is away")
                .isInstanceOfSatisfying(ApiException.class,
                        e -> assertThat(e.headers()).doesNotContainKey(ApiException.BUSY));
    }

    /** Starts {@code count} requests that stay at the service until {@code leave} opens. */
    private static Thread[] holding(ServiceGate gate, int count, CountDownLatch leave) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(count);
        Thread[] holders = new Thread[count];
        for (int i = 0; i < count; i++) {
            holders[i] = Thread.ofVirtual().start(() -> gate.admit(() -> {
                inside.countDown();
                try {
                    leave.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
        }
        inside.await();
        return holders;
    }

    /** Lets the requests {@link #holding} started leave the service, and waits until they have. */
    private static void release(CountDownLatch leave, Thread[] holders) throws InterruptedException {
        leave.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
    }

    private static void refusedWhenBusy(ServiceGate gate) {
        assertThatThrownBy(() -> gate.admit(() -> "one more"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.headers()).as("shed, not away").containsEntry(ApiException.BUSY, "true");
                    assertThat(e.getMessage()).contains("requests at transaction-service already");
                });
    }

    @Test
    void pastItsBoundOfRequestsAtTransactionServiceARequestIsRefusedAtOnce() throws Exception {
        ServiceGate gate = new ServiceGate("transaction-service", 2, 2, Duration.ZERO, meters);
        CountDownLatch leave = new CountDownLatch(1);
        Thread[] holders = holding(gate, 2, leave);
        assertThat(meters.get("nightjar.gateway.calls").gauge().value()).isEqualTo(2.0);
        refusedWhenBusy(gate);
        release(leave, holders);
        assertThat(gate.admit(() -> "after")).as("the places come back").isEqualTo("after");
        assertThat(meters.get("nightjar.gateway.calls").gauge().value()).isZero();
    }

    @Test
    void aServiceJustBackTakesFewRequestsAtOnceAndMoreAsItKeepsAnswering() throws Exception {
        AtomicLong nanos = new AtomicLong();
        ServiceGate gate = new ServiceGate("transaction-service", 2, 6, Duration.ofSeconds(60), meters, nanos::get);
        assertThat(meters.get("nightjar.gateway.calls.limit").gauge().value()).as("the gateway just started").isEqualTo(2.0);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(gate.bound()).as("half-way through the warm-up").isEqualTo(4);
        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        CountDownLatch leave = new CountDownLatch(1);
        Thread[] holders = holding(gate, 6, leave);
        assertThat(meters.get("nightjar.gateway.calls.limit").gauge().value()).as("warm").isEqualTo(6.0);
        refusedWhenBusy(gate);
        release(leave, holders);

        for (int i = 0; i < 3; i++) {
            unanswered(gate);
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(gate.fetch(() -> "the trial")).isEqualTo("the trial");
        assertThat(gate.bound()).as("back from away: cold again").isEqualTo(2);
        CountDownLatch leaveAgain = new CountDownLatch(1);
        Thread[] cold = holding(gate, 2, leaveAgain);
        refusedWhenBusy(gate);
        release(leaveAgain, cold);
    }
}
