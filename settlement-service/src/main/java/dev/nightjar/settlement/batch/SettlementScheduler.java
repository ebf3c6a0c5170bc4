package dev.nightjar.settlement.batch;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Runs the daily cut-off on its cron (UTC), and takes unfinished batches up again shortly after startup
 * and then every {@code resume-every}, so a batch stuck on an acquirer outage moves on when it is back.
 */
public final class SettlementScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SettlementScheduler.class);
    private static final Duration FIRST_RESUME_AFTER = Duration.ofSeconds(2);
    /** A scheduled cut-off waits this long for a run under way instead of being skipped. */
    private static final Duration CUTOFF_LOCK_WAIT = Duration.ofHours(1);

    private final SettlementRun run;
    private final SettlementProperties properties;
    private ThreadPoolTaskScheduler scheduler;

    public SettlementScheduler(SettlementRun run, SettlementProperties properties) {
        this.run = run;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("settlement-");
        scheduler.initialize();
        if (!SettlementProperties.NEVER.equals(properties.cutoff())) {
            scheduler.schedule(this::cutoff, new CronTrigger(properties.cutoff(), TimeZone.getTimeZone(ZoneOffset.UTC)));
        }
        scheduler.scheduleWithFixedDelay(this::resume, Instant.now().plus(FIRST_RESUME_AFTER), properties.resumeEvery());
    }

    private void cutoff() {
        // the cron fires on the second: that second is the cut-off, whatever the thread's start-up delay
        Instant cutoffAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            run.cutoff(cutoffAt, CUTOFF_LOCK_WAIT);
        } catch (RuntimeException e) {
            log.error("the settlement cut-off at {} failed; it runs again at the next cut-off or by hand", cutoffAt, e);
        }
    }

    private void resume() {
        try {
            run.resume();
        } catch (RuntimeException e) {
            log.warn("resuming settlement batches failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdown();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
