package dev.nightjar.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.RemoteCallException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
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
        ServiceGate gate = new ServiceGate("transaction-service", 8, meters);
        for (int i = 0; i < 3; i++) {
            unanswered(gate);
        }
        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> gate.admit(ran::incrementAndGet))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.headers()).containsKey(ApiException.RETRY_AFTER);
                });
        assertThat(ran).as("the card is not tokenized, nothing is called").hasValue(0);
        assertThat(meters.get("nightjar.gateway.refused").counter().count()).isEqualTo(1.0);
    }

    @Test
    void aRefusalOfTheRequestItselfIsAnAnswerNotAnOutage() {
        ServiceGate gate = new ServiceGate("transaction-service", 8, meters);
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> gate.fetch(() -> {
                throw new RemoteCallException("transaction-service", 409, null);
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThat(gate.fetch(() -> "answered")).isEqualTo("answered");
    }

    @Test
    void pastItsBoundOfRequestsAtTransactionServiceARequestIsRefusedAtOnce() throws Exception {
        ServiceGate gate = new ServiceGate("transaction-service", 2, meters);
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch leave = new CountDownLatch(1);
        Thread[] holders = new Thread[2];
        for (int i = 0; i < 2; i++) {
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
        assertThat(meters.get("nightjar.gateway.calls").gauge().value()).isEqualTo(2.0);
        assertThatThrownBy(() -> gate.admit(() -> "third"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        leave.countDown();
        for (Thread holder : holders) {
            holder.join();
        }
        assertThat(gate.admit(() -> "after")).as("the permits come back").isEqualTo("after");
    }
}
