package dev.nightjar.common.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Measures how long a virtual thread made runnable waits for a carrier, and feeds it to an {@link AdmissionLimit}.
 * Every {@link #TICK} a platform thread starts a tiny virtual thread and notes when; the virtual thread notes when
 * it ran. While a probe has not run yet, the time since it was started is the lag so far, so a service whose
 * carriers are all held (virtual threads are not preempted) is seen at once, not when the probe finally runs.
 * The lag is a gauge, {@code nightjar.scheduler.lag} (seconds).
 *
 * <p>A stop-the-world collection while a probe waits is not the scheduler's lag, and is left out of it: every
 * thread stood still, and once it ends the carriers run at full speed. Counted, a collection of 0.2 s (Serial's
 * full collections on the local platform take that, every quarter of an hour at a few hundred payments a
 * second) cut the gateway's limit below the requests it already held, and it shed 54 merchants' payments in a
 * window it otherwise held (docs/performance.md). What the pause leaves behind, a queue the CPU must work off,
 * is still measured.
 *
 * <p>A service at rest does not probe twenty times a second: when no request arrived since the previous tick,
 * the limit is at its ceiling and the last lag was well under the target, the ticker waits up to
 * {@link #REST_TICK} for the next request before it probes again. The first request wakes it at once, so a
 * service under load is probed every {@link #TICK} as before. Each probe wakes a platform thread and a carrier;
 * on the paravirtualized 2-core host of the local platform the ticker alone spent about 0.16 ms of CPU a tick,
 * and nine services probing every 50 ms spent 31–33 ms of CPU a second with nothing to do (docs/performance.md,
 * "Trace sampling, and the scheduler-lag probe at rest").
 */
public final class SchedulerLag implements AutoCloseable {

    static final Duration TICK = Duration.ofMillis(50);
    /** The longest a service at rest goes without a probe. */
    static final Duration REST_TICK = Duration.ofSeconds(1);

    private final AdmissionLimit limit;
    private final long restTickNanos;
    private final AtomicLong probes = new AtomicLong();
    private final Thread ticker;
    /** When the outstanding probe was started; 0 when none is outstanding. */
    private volatile long probeStartedNanos;
    /** The stop-the-world pauses so far when the outstanding probe was started. */
    private volatile long probePausedNanos;
    private final LongSupplier pausedNanos;
    private volatile long lastLagNanos;
    private volatile boolean closed;
    private volatile boolean resting;

    public SchedulerLag(AdmissionLimit limit, MeterRegistry meters) {
        this(limit, meters, REST_TICK, stopTheWorldPauses());
    }

    /**
     * @param pausedNanos how long this JVM has stood still for its collector so far, in nanoseconds
     */
    SchedulerLag(AdmissionLimit limit, MeterRegistry meters, Duration restTick, LongSupplier pausedNanos) {
        this.limit = limit;
        this.pausedNanos = pausedNanos;
        this.restTickNanos = restTick.toNanos();
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
                if (!limit.takeRequested() && probeStartedNanos == 0 && limit.calm(lastLagNanos)) {
                    resting = true;
                    limit.awaitRequest(restTickNanos);
                    resting = false;
                }
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long started = probeStartedNanos;
            if (started != 0) {
                lastLagNanos = lagSince(started, probePausedNanos);
            } else {
                long paused = pausedNanos.getAsLong();
                probePausedNanos = paused;
                probeStartedNanos = now;
                probes.incrementAndGet();
                Thread.ofVirtual().start(() -> {
                    lastLagNanos = lagSince(now, paused);
                    probeStartedNanos = 0;
                });
            }
            limit.observe(lastLagNanos);
        }
    }

    /** The time since {@code startedNanos}, but for the collector's pauses since then. */
    private long lagSince(long startedNanos, long pausedAtStart) {
        long waited = System.nanoTime() - startedNanos;
        return Math.max(0, waited - (pausedNanos.getAsLong() - pausedAtStart));
    }

    /**
     * How long this JVM's collectors have stopped the world so far: the collectors' accumulated times, less those
     * of the ones that run beside the application (G1's, ZGC's and Shenandoah's concurrent cycles).
     */
    static LongSupplier stopTheWorldPauses() {
        List<GarbageCollectorMXBean> pausing = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(collector -> !collector.getName().contains("Concurrent") && !collector.getName().endsWith("Cycles"))
                .toList();
        return () -> {
            long millis = 0;
            for (GarbageCollectorMXBean collector : pausing) {
                millis += Math.max(0, collector.getCollectionTime());
            }
            return TimeUnit.MILLISECONDS.toNanos(millis);
        };
    }

    /** Whether the ticker is waiting for a request, the service at rest. */
    boolean resting() {
        return resting;
    }

    /** How many probes were started. */
    long probes() {
        return probes.get();
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
