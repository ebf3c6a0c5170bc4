package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class SchedulerLagTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void carriersHeldByBusyVirtualThreadsCutTheLimitToTheMinimumAndItClimbsBackOnceTheyAreFree() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AdmissionLimit limit = new AdmissionLimit(4, 64, Duration.ofMillis(100));
        try (SchedulerLag lag = new SchedulerLag(limit, meters)) {
            awaitTrue("the limit climbs from its start to the maximum on an idle scheduler", () -> limit.current() == 64);

            AtomicBoolean spin = new AtomicBoolean(true);
            List<Thread> spinners = holdEveryCarrier(spin);
            try {
                awaitTrue("the limit falls to the minimum while no carrier is free", () -> limit.current() == 4);
                assertThat(lag.last()).isGreaterThan(Duration.ofMillis(100));
                assertThat(meters.get("nightjar.scheduler.lag").gauge().value()).isGreaterThan(0.1);
                assertThat(meters.get("nightjar.requests.limit").gauge().value()).isEqualTo(4.0);
            } finally {
                spin.set(false);
                for (Thread spinner : spinners) {
                    spinner.join();
                }
            }
            awaitTrue("the limit climbs back once the carriers are free", () -> limit.current() == 64);
        }
    }

    /** A collector's pauses as the JVM reports them: the time since {@link #begin} counts while one is under way. */
    private static final class Pauses implements LongSupplier {
        private long total;
        private long since;

        synchronized void begin() {
            since = System.nanoTime();
        }

        synchronized void end() {
            total += System.nanoTime() - since;
            since = 0;
        }

        @Override
        public synchronized long getAsLong() {
            return total + (since == 0 ? 0 : System.nanoTime() - since);
        }
    }

    /**
     * Starts twice as many spinning virtual threads as there are carriers, which hold them all until {@code spin} is
     * cleared: virtual threads are not preempted.
     */
    private static List<Thread> holdEveryCarrier(AtomicBoolean spin) {
        List<Thread> spinners = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors() * 2; i++) {
            spinners.add(Thread.ofVirtual().start(() -> {
                while (spin.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        return spinners;
    }

    @Test
    void aStopTheWorldPauseIsNotTheSchedulersLagButTheQueueLeftAfterItIs() throws Exception {
        AdmissionLimit limit = new AdmissionLimit(4, 64, Duration.ofMillis(100));
        Pauses pauses = new Pauses();
        try (SchedulerLag lag = new SchedulerLag(limit, new SimpleMeterRegistry(), SchedulerLag.REST_TICK, pauses)) {
            awaitTrue("the limit climbs to the maximum on an idle scheduler", () -> limit.current() == 64);
            AtomicBoolean spin = new AtomicBoolean(true);
            List<Thread> spinners = new ArrayList<>();
            try {
                // No carrier runs a probe for 600 ms, as in a collection, and the JVM reports that time as a pause.
                pauses.begin();
                spinners.addAll(holdEveryCarrier(spin));
                long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
                while (System.nanoTime() < until) {
                    limit.requested();
                    assertThat(limit.current()).as("during the pause").isEqualTo(64);
                    Thread.sleep(5);
                }
                pauses.end();
                assertThat(limit.current()).as("after the pause").isEqualTo(64);
                assertThat(lag.last()).as("the lag measured across the pause").isLessThan(Duration.ofMillis(100));
                // The carriers stay held after it: that is lag, and it cuts the limit.
                awaitTrue("the limit falls while the carriers stay held after the pause", () -> limit.current() < 64);
            } finally {
                spin.set(false);
                for (Thread spinner : spinners) {
                    spinner.join();
                }
            }
        }
    }

    @Test
    void aServiceAtRestWaitsForItsNextRequestBeforeItProbesAgainAndTheRequestWakesItAtOnce() throws Exception {
        AdmissionLimit limit = new AdmissionLimit(4, 8, Duration.ofMillis(200));
        try (SchedulerLag lag = atRest(limit)) {
            long probes = lag.probes();
            assertThat(limit.current()).isEqualTo(8);

            limit.requested();
            awaitTrue("a request wakes it and it probes again", () -> lag.probes() > probes);
            awaitTrue("with no request since, it waits again", lag::resting);
            assertThat(lag.probes()).as("one probe for the one request").isEqualTo(probes + 1);
        }
    }

    @Test
    void aServiceUnderRequestsIsProbedEveryTick() throws Exception {
        AdmissionLimit limit = new AdmissionLimit(4, 8, Duration.ofMillis(200));
        try (SchedulerLag lag = atRest(limit)) {
            long probes = lag.probes();
            // Requests keep arriving, as under load: the probes go on, tick after tick.
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (lag.probes() < probes + 5) {
                assertThat(System.nanoTime()).as("five probes while requests arrive").isLessThan(deadline);
                limit.requested();
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void theInFlightFilterMarksEveryRequestItSees() throws Exception {
        AdmissionLimit limit = AdmissionLimit.fixed(1);
        InFlightLimitFilter filter = new InFlightLimitFilter(limit, new SimpleMeterRegistry());
        assertThat(limit.takeRequested()).as("a new limit counts as requested, so a new service probes at once")
                .isTrue();
        assertThat(limit.takeRequested()).isFalse();
        filter.doFilter(new MockHttpServletRequest("GET", "/x"), new MockHttpServletResponse(), new MockFilterChain());
        assertThat(limit.takeRequested()).isTrue();
    }

    /**
     * A probe whose service has had no request yet, waiting once its limit reached the ceiling. Its rest tick is
     * far past the test's deadline: only a request can end the wait within a test.
     */
    private static SchedulerLag atRest(AdmissionLimit limit) throws InterruptedException {
        SchedulerLag lag = new SchedulerLag(limit, new SimpleMeterRegistry(), Duration.ofMinutes(10), SchedulerLag.stopTheWorldPauses());
        awaitTrue("with no request, once the limit is at its ceiling, the ticker waits", lag::resting);
        return lag;
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
