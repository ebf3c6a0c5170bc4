package dev.nightjar.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class PeriodicSampleTest {

    @Test
    void samplesAgainAndAgainWhileStartedEvenAfterASampleFailed() {
        AtomicInteger runs = new AtomicInteger();
        PeriodicSample sample = new PeriodicSample("test", Duration.ofMillis(10), () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("database away");
            }
        });

        sample.start();
        try {
            assertThat(sample.isRunning()).isTrue();
            assertThat(within(Duration.ofSeconds(10), () -> runs.get() >= 3)).as("sampled past the failure").isTrue();
        } finally {
            sample.stop();
        }
        assertThat(sample.isRunning()).isFalse();
        int afterStop = runs.get();
        assertThat(within(Duration.ofMillis(200), () -> runs.get() > afterStop)).as("no sample after stop").isFalse();
    }

    /** Polls {@code condition} until it holds or {@code timeout} passed; whether it held. */
    private static boolean within(Duration timeout, BooleanSupplier condition) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        return condition.getAsBoolean();
    }
}
