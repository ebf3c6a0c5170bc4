package dev.nightjar.common.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Measures how long a virtual thread made runnable waits for a carrier, and feeds it to an {@link AdmissionLimit}.
 * Every {@link #TICK} a platform thread starts a tiny virtual thread and notes when; the virtual thread notes when
 * it ran. While a probe has not run yet, the time since it was started is the lag so far, so a service whose
 * carriers are all held (virtual threads are not preempted) is seen at once, not when the probe finally runs.
 * The lag is a gauge, {@code nightjar.scheduler.lag} (seconds).
 */
public final class SchedulerLag implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(50);

    private final AdmissionLimit limit;
    private final Thread ticker;
    /** When the outstanding probe was started; 0 when none is outstanding. */
    private volatile long probeStartedNanos;
    private volatile long lastLagNanos;
    private volatile boolean closed;

    public SchedulerLag(AdmissionLimit limit, MeterRegistry meters) {
        this.limit = limit;
        Gauge.builder("nightjar.scheduler.lag", this, lag -> lag.lastLagNanos / 1e9)
                .description("How long a runnable request thread last waited for a CPU")
                .baseUnit("seconds").register(meters);
        Gauge.builder("nightjar.requests.limit", limit, AdmissionLimit::current)
                .description("Requests the service admits at once now (it sheds the rest with a 503)")
                .register(meters);
        this.ticker = Thread.ofPlatform().daemon().name("nightjar-scheduler-lag").start(this::run);
    }

    private void run() {
        while (!closed) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long started = probeStartedNanos;
            if (started != 0) {
                lastLagNanos = now - started;
            } else {
                probeStartedNanos = now;
                Thread.ofVirtual().start(() -> {
                    lastLagNanos = System.nanoTime() - now;
                    probeStartedNanos = 0;
                });
            }
            limit.observe(lastLagNanos);
        }
    }

    /** The lag last measured. */
    public Duration last() {
        return Duration.ofNanos(lastLagNanos);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        ticker.interrupt();
        ticker.join(TimeUnit.SECONDS.toMillis(1));
    }
}
