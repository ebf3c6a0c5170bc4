package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** {@link BusyRetry}: a service that shed the request is asked again, a few times, and nothing else is. */
class BusyRetryTest {

    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger retries = new AtomicInteger();

    /** Answers {@code "answer"} from the {@code answerOn}-th call on; before it throws what {@code failure} makes. */
    private Supplier<String> service(int answerOn, Supplier<RuntimeException> failure) {
        return () -> {
            if (calls.incrementAndGet() < answerOn) {
                throw failure.get();
            }
            return "answer";
        };
    }

    private static RemoteCallException busy() {
        return new RemoteCallException("auth-service", 503, null, true);
    }

    @Test
    void aServiceBusyTwiceIsAskedAgainAndItsThirdAnswerIsTaken() {
        String answer = BusyRetry.call(service(3, BusyRetryTest::busy), retries::incrementAndGet);

        assertThat(answer).isEqualTo("answer");
        assertThat(calls).hasValue(3);
        assertThat(retries).hasValue(2);
    }

    @Test
    void aServiceBusyEveryTimeIsAskedAsOftenAsThereAreWaitsAndItsBusyAnswerStands() {
        assertThatThrownBy(() -> BusyRetry.call(service(Integer.MAX_VALUE, BusyRetryTest::busy), retries::incrementAndGet))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.isBusy()).isTrue());

        assertThat(calls).hasValue(1 + BusyRetry.WAITS.size());
        assertThat(retries).hasValue(BusyRetry.WAITS.size());
    }

    @Test
    void anOutageAnErrorAnswerAndNoAnswerAreNotAskedAgain() {
        for (Supplier<RuntimeException> failure : java.util.List.<Supplier<RuntimeException>>of(
                () -> new RemoteCallException("auth-service", 503, null),
                () -> new RemoteCallException("auth-service", 500, null, true),
                () -> new org.springframework.web.client.ResourceAccessException("read timed out"))) {
            calls.set(0);
            assertThatThrownBy(() -> BusyRetry.call(service(2, failure), retries::incrementAndGet))
                    .isInstanceOf(RuntimeException.class);
            assertThat(calls).as(failure.get().toString()).hasValue(1);
        }
        assertThat(retries).hasValue(0);
    }

    @Test
    void aRequestWithTooLittleTimeLeftForTheWaitIsNotAskedAgain() {
        Duration budget = Deadline.TOO_LITTLE.plusMillis(10);

        assertThatThrownBy(() -> Deadline.within(budget,
                () -> BusyRetry.call(service(2, BusyRetryTest::busy), retries::incrementAndGet)))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.isBusy()).isTrue());
        assertThat(calls).hasValue(1);

        calls.set(0);
        assertThat(Deadline.within(Duration.ofSeconds(5),
                () -> BusyRetry.call(service(2, BusyRetryTest::busy), retries::incrementAndGet))).isEqualTo("answer");
        assertThat(calls).as("with time to spare it is asked again").hasValue(2);
    }
}
