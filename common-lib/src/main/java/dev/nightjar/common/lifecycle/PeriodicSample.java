package dev.nightjar.common.lifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs a cheap sample (one indexed query, say) every {@code interval} on its own daemon thread while started,
 * so that gauges read what it last found and a Prometheus scrape never waits for a database. A failing sample
 * is logged once per run of failures and tried again at the next tick; what it does to its gauges meanwhile
 * is the sample's own business.
 */
public final class PeriodicSample implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSample.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Duration interval;
    private final Runnable sample;
    private ScheduledExecutorService scheduler;
    private volatile boolean failing;

    public PeriodicSample(String name, Duration interval, Runnable sample) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("sample interval must be positive: " + interval);
        }
        this.name = name;
        this.interval = interval;
        this.sample = sample;
    }

    /** Takes one sample now, on the caller's thread; failures reach the caller. */
    public void runOnce() {
        sample.run();
    }

    private void tick() {
        try {
            sample.run();
            if (failing) {
                log.info("sample {} works again", name);
            }
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("sample {} failed, trying again every {}: {}", name, interval, e.toString());
            }
            failing = true;
        }
    }

    @Override
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sample-" + name).daemon(true).factory());
        scheduler.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (scheduler == null) {
            return;
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
