package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;

class AvailabilityTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Availability auth = new Availability("auth-service", 3, Duration.ofSeconds(1), Duration.ofSeconds(4), nanos::get);

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private void threeFailuresInARow() {
        for (int i = 0; i < 3; i++) {
            auth.failed();
        }
    }

    @Test
    void aServiceCountsAsAwayOnlyAfterFailuresInARow() {
        auth.failed();
        auth.failed();
        auth.succeeded();
        auth.failed();
        auth.failed();
        assertThat(auth.isAway()).as("a success in between resets the count").isFalse();
        auth.failed();
        assertThat(auth.isAway()).isTrue();
    }

    @Test
    void afterThePauseCallsGoThroughAndTheFirstSuccessBringsItBack() {
        threeFailuresInARow();
        advance(Duration.ofMillis(999));
        assertThat(auth.isAway()).isTrue();
        advance(Duration.ofMillis(1));
        assertThat(auth.isAway()).as("a call is tried again after the pause").isFalse();
        auth.succeeded();
        auth.failed();
        assertThat(auth.isAway()).as("back: it takes failures in a row again").isFalse();
    }

    @Test
    void itCountsHowLongTheServiceHasAnsweredSinceItCameBack() {
        advance(Duration.ofSeconds(30));
        assertThat(auth.answeringFor()).as("never away: since it was created").isEqualTo(Duration.ofSeconds(30));
        auth.failed();
        assertThat(auth.answeringFor()).as("a failure alone does not make it away").isEqualTo(Duration.ofSeconds(30));
        auth.failed();
        auth.failed();
        assertThat(auth.answeringFor()).as("away").isEqualTo(Duration.ZERO);
        advance(Duration.ofSeconds(1));
        assertThat(auth.isAway()).as("the trial").isFalse();
        auth.succeeded();
        advance(Duration.ofSeconds(5));
        assertThat(auth.answeringFor()).as("since the trial brought it back").isEqualTo(Duration.ofSeconds(5));
        auth.succeeded();
        assertThat(auth.answeringFor()).as("later successes do not restart it").isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void afterThePauseOneTrialCallGoesThroughAndTheOthersWaitForItsOutcome() {
        threeFailuresInARow();
        advance(Duration.ofSeconds(1));
        assertThat(auth.isAway()).as("the trial").isFalse();
        assertThat(auth.isAway()).as("a second caller while the trial is out").isTrue();
        advance(Duration.ofMillis(999));
        assertThat(auth.isAway()).as("still waiting for the trial's outcome").isTrue();
        advance(Duration.ofMillis(1));
        assertThat(auth.isAway()).as("no outcome within the pause: another trial").isFalse();
        assertThat(auth.isAway()).isTrue();
        auth.succeeded();
        assertThat(auth.isAway()).as("the trial answered: back for every caller").isFalse();
        assertThat(auth.isAway()).isFalse();
    }

    @Test
    void aFailedTrialStartsALongerPauseAndTheNextOneComesAfterIt() {
        threeFailuresInARow();
        advance(Duration.ofSeconds(1));
        assertThat(auth.isAway()).as("the trial").isFalse();
        auth.failed();
        advance(Duration.ofMillis(1999));
        assertThat(auth.isAway()).as("doubled pause").isTrue();
        advance(Duration.ofMillis(1));
        assertThat(auth.isAway()).as("the next trial").isFalse();
        assertThat(auth.isAway()).isTrue();
    }

    @Test
    void theAvailabilityGaugeReadsTheStateWithoutTakingTheTrial() {
        var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        auth.register(meters);
        var gauge = meters.get("nightjar.dependency.available").tag("dependency", "auth-service").gauge();
        assertThat(gauge.value()).isEqualTo(1);
        threeFailuresInARow();
        advance(Duration.ofSeconds(1));
        assertThat(gauge.value()).isZero();
        assertThat(gauge.value()).isZero();
        assertThat(auth.isAway()).as("the trial is still there for a call").isFalse();
        auth.succeeded();
        assertThat(gauge.value()).isEqualTo(1);
    }

    @Test
    void aFailureAfterThePauseMakesItAwayAgainForLongerUpToTheLongestPause() {
        threeFailuresInARow();
        advance(Duration.ofSeconds(1));
        auth.failed();
        assertThat(auth.isAway()).isTrue();
        advance(Duration.ofMillis(1999));
        assertThat(auth.isAway()).as("doubled to 2 s").isTrue();
        advance(Duration.ofMillis(1));
        auth.failed();
        advance(Duration.ofSeconds(4).minusMillis(1));
        assertThat(auth.isAway()).as("doubled to the 4 s ceiling").isTrue();
        advance(Duration.ofMillis(1));
        auth.failed();
        advance(Duration.ofSeconds(4));
        assertThat(auth.isAway()).as("never longer than the ceiling").isFalse();
    }

    @Test
    void anObservedCallCountsNoAnswerAndA5xxAsFailuresAndARefusedRequestAsAnAnswer() {
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new ResourceAccessException("Connect to https://localhost:9103 failed: Connection refused");
            })).isInstanceOf(ResourceAccessException.class);
        }
        assertThatThrownBy(() -> auth.observe(() -> {
            throw new RemoteCallException("auth-service", 409, null);
        })).isInstanceOf(RemoteCallException.class);
        for (int status : new int[] {500, 503}) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new RemoteCallException("auth-service", status, null);
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThat(auth.isAway()).as("the 409 in between reset the count: two failures in a row, not three").isFalse();
        assertThatThrownBy(() -> auth.observe(() -> {
            throw new ResourceAccessException("Read timed out");
        })).isInstanceOf(ResourceAccessException.class);
        assertThat(auth.isAway()).as("three in a row").isTrue();
        advance(Duration.ofSeconds(1));
        assertThat(auth.observe(() -> "answered")).isEqualTo("answered");
        assertThat(auth.isAway()).isFalse();
    }

    @Test
    void aServiceAnsweringThatTheAcquirerCouldNotActIsUpAndAnswering() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new RemoteCallException("transaction-service", 502,
                        ApiError.of(ErrorType.API, "acquirer_failure", "The acquirer could not capture the payment."));
            })).isInstanceOf(RemoteCallException.class);
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new RemoteCallException("transaction-service", 503,
                        ApiError.of(ErrorType.API, "acquirer_unavailable", "The acquirer cannot be reached."));
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThat(auth.isAway()).as("ten 5xx about the acquirer, none about the service").isFalse();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new RemoteCallException("transaction-service", 503,
                        ApiError.of(ErrorType.API, "service_unavailable", "Its database is away."));
            })).isInstanceOf(RemoteCallException.class);
        }
        assertThat(auth.isAway()).as("three 503s about the service itself").isTrue();
    }

    @Test
    void aServiceThatShedsRequestsAtOnceIsBusyNotAway() {
        auth.failed();
        auth.failed();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new RemoteCallException("transaction-service", 503, null, true);
            })).isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.isBusy()).isTrue());
        }
        assertThat(auth.isAway()).as("two failures, then five sheds: still two in a row").isFalse();
        assertThatThrownBy(() -> auth.observe(() -> {
            throw new RemoteCallException("transaction-service", 503, null);
        })).isInstanceOf(RemoteCallException.class);
        assertThat(auth.isAway()).as("the third failure in a row").isTrue();
    }

    @Test
    void onlyA503IsBusyAndItIsPassedOnAsBusy() {
        RemoteCallException busy = new RemoteCallException("auth-service", 503, null, true);
        assertThat(busy.headers()).containsEntry(ApiException.BUSY, "true").containsKey(ApiException.RETRY_AFTER);
        RemoteCallException failed = new RemoteCallException("auth-service", 500, null, true);
        assertThat(failed.isBusy()).isFalse();
        assertThat(failed.headers()).isEmpty();
        assertThat(new RemoteCallException("auth-service", 503, null).headers()).doesNotContainKey(ApiException.BUSY);
    }

    @Test
    void aCallThatNeverGotItsTurnForAHandshakeCountsAgainstNobody() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new ResourceAccessException("I/O error", new NoHandshakeTurn("no turn for a TLS handshake"));
            })).isInstanceOf(ResourceAccessException.class);
        }
        assertThat(auth.isAway()).as("five calls that asked the service nothing").isFalse();
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> auth.observe(() -> {
                throw new ResourceAccessException("I/O error", new java.net.SocketTimeoutException("Read timed out"));
            })).isInstanceOf(ResourceAccessException.class);
        }
        assertThat(auth.isAway()).as("three handshakes or answers that timed out").isTrue();
    }
}
