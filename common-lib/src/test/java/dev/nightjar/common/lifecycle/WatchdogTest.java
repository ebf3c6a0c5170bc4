package dev.nightjar.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A call's time is kept by the watchdog: broken off once, at or after its time and never before, and never when
 * disarmed first. Its clock is the test's, so "not yet" is shown by the watchdog's own looks, not by waiting.
 */
class WatchdogTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final AtomicLong clock = new AtomicLong();
    private final Watchdog watchdog = new Watchdog("watchdog-test", Duration.ofMillis(1), clock::get);

    @Test
    void aWatchNotDisarmedInTimeBreaksOffItsCallOnceAndNotBefore() throws InterruptedException {
        keepLooking();
        AtomicInteger breakOffs = new AtomicInteger();
        CountDownLatch brokenOff = new CountDownLatch(1);
        Watchdog.Watch watch = watchdog.arm(Duration.ofMillis(100), () -> {
            breakOffs.incrementAndGet();
            brokenOff.countDown();
        });

        clock.set(Duration.ofMillis(99).toNanos());
        awaitLooks(2);
        assertThat(breakOffs).as("a millisecond before its time").hasValue(0);
        assertThat(watch.fired()).isFalse();

        clock.set(Duration.ofMillis(100).toNanos());
        assertThat(brokenOff.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("broken off at its time").isTrue();
        assertThat(watch.fired()).isTrue();
        assertThat(watch.disarm()).as("too late to disarm").isFalse();

        clock.set(Duration.ofSeconds(5).toNanos());
        awaitLooks(2);
        assertThat(breakOffs).as("once").hasValue(1);
        assertThat(watchdog.brokenOffCount()).as("counted once").isEqualTo(1);
        assertThat(watchdog.armedCount()).as("only the keeper").isEqualTo(1);
    }

    @Test
    void aWatchDisarmedInTimeNeverBreaksOff() {
        keepLooking();
        AtomicInteger breakOffs = new AtomicInteger();
        Watchdog.Watch watch = watchdog.arm(Duration.ofMillis(100), breakOffs::incrementAndGet);

        assertThat(watch.disarm()).isTrue();
        clock.set(Duration.ofSeconds(5).toNanos());
        awaitLooks(2);

        assertThat(breakOffs).hasValue(0);
        assertThat(watch.fired()).isFalse();
        assertThat(watchdog.brokenOffCount()).isZero();
        assertThat(watch.disarm()).as("disarming twice is harmless").isTrue();
        assertThat(watchdog.armedCount()).as("only the keeper").isEqualTo(1);
    }

    @Test
    void aWatchdogWithNothingToWatchWakesForTheNextCall() throws InterruptedException {
        Watchdog.Watch first = watchdog.arm(Duration.ZERO, () -> { });
        await("the first watch fires", first::fired);
        await("the watchdog parks with nothing armed", watchdog::isIdle);

        CountDownLatch brokenOff = new CountDownLatch(1);
        watchdog.arm(Duration.ZERO, brokenOff::countDown);

        assertThat(brokenOff.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).as("woken by the arm").isTrue();
    }

    @Test
    void aShorterCallArmedWhileTheWatchdogParksForALongerOneIsStillBrokenOffAtItsTime() throws InterruptedException {
        keepLooking();
        await("the watchdog looks at the keeper", () -> watchdog.scans() >= 1);
        // the watchdog now parks until the keeper's day is up, unless a shorter call wakes it
        CountDownLatch brokenOff = new CountDownLatch(1);
        watchdog.arm(Duration.ofMillis(100), brokenOff::countDown);
        clock.set(Duration.ofMillis(100).toNanos());

        assertThat(brokenOff.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    @Test
    void aBreakOffThatFailsDoesNotStopTheWatchdog() throws InterruptedException {
        watchdog.arm(Duration.ZERO, () -> {
            throw new IllegalStateException("the connection was already gone");
        });
        CountDownLatch brokenOff = new CountDownLatch(1);
        watchdog.arm(Duration.ofMillis(1), brokenOff::countDown);
        clock.set(Duration.ofMillis(1).toNanos());

        assertThat(brokenOff.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    }

    /** Arms a watch far in the future, so that the watchdog goes on looking instead of parking. */
    private void keepLooking() {
        watchdog.arm(Duration.ofDays(1), () -> { });
    }

    /** Waits until the watchdog has looked at its watches {@code looks} more times. */
    private void awaitLooks(int looks) {
        long target = watchdog.scans() + looks;
        await("the watchdog looks " + looks + " more times", () -> watchdog.scans() >= target);
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
