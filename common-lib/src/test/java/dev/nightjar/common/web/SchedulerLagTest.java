package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SchedulerLagTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Test
    void carriersHeldByBusyVirtualThreadsCutTheLimitToTheMinimumAndItClimbsBackOnceTheyAreFree() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        AdmissionLimit limit = new AdmissionLimit(4, 64, Duration.ofMillis(100));
        try (SchedulerLag lag = new SchedulerLag(limit, meters)) {
            awaitTrue("the limit climbs from its start to the maximum on an idle scheduler", () -> limit.current() == 64);

            // Virtual threads are not preempted: as many spinning ones as there are carriers (and more) hold them all.
            AtomicBoolean spin = new AtomicBoolean(true);
            List<Thread> spinners = new ArrayList<>();
            int carriers = Runtime.getRuntime().availableProcessors();
            for (int i = 0; i < carriers * 2; i++) {
                spinners.add(Thread.ofVirtual().start(() -> {
                    while (spin.get()) {
                        Thread.onSpinWait();
                    }
                }));
            }
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

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
