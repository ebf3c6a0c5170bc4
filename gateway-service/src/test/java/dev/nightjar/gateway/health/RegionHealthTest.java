package dev.nightjar.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class RegionHealthTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final Duration TTL = Duration.ofSeconds(2);

    @Test
    void aRegionWhoseChecksAllPassIsHealthy() throws InterruptedException {
        try (var region = new RegionHealth(List.of(() -> true, () -> true, () -> true), TIMEOUT, TTL)) {
            assertThat(region.healthy()).isTrue();
        }
    }

    @Test
    void oneCheckFailingOrThrowingMakesTheRegionUnhealthy() throws InterruptedException {
        try (var failing = new RegionHealth(List.of(() -> true, () -> false), TIMEOUT, TTL);
             var throwing = new RegionHealth(List.of(() -> true, () -> {
                 throw new IllegalStateException("connection refused");
             }), TIMEOUT, TTL)) {
            assertThat(failing.healthy()).isFalse();
            assertThat(throwing.healthy()).isFalse();
        }
    }

    @Test
    @Timeout(30)
    void aCheckThatNeverAnswersCountsAsFailedInsteadOfHoldingTheProbe() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        try (var region = new RegionHealth(List.of(() -> true, () -> {
            never.await();
            return true;
        }), TIMEOUT, TTL)) {
            assertThat(region.healthy()).isFalse();
        }
    }

    @Test
    void probesWithinTheTtlShareOneRoundOfChecks() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        AtomicLong now = new AtomicLong();
        try (var region = new RegionHealth(List.of(() -> rounds.incrementAndGet() > 0), TIMEOUT, TTL, now::get)) {
            region.healthy();
            now.set(TTL.toNanos() - 1);
            region.healthy();
            assertThat(rounds).hasValue(1);

            now.set(TTL.toNanos());
            region.healthy();
            assertThat(rounds).hasValue(2);
        }
    }
}
