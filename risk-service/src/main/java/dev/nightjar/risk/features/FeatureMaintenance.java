package dev.nightjar.risk.features;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/** Keeps the features bounded: idle keys leave memory every minute, expired rows leave the database every ten. */
public final class FeatureMaintenance {

    private static final Logger log = LoggerFactory.getLogger(FeatureMaintenance.class);

    private final FeatureStore store;
    private final FeatureRepository repository;
    private final String consumer;
    private final LongSupplier clockMillis;

    public FeatureMaintenance(FeatureStore store, FeatureRepository repository, String consumer, LongSupplier clockMillis) {
        this.store = store;
        this.repository = repository;
        this.consumer = consumer;
        this.clockMillis = clockMillis;
    }

    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    public void evictIdleKeys() {
        store.maintain(Math.floorDiv(clockMillis.getAsLong(), 60_000L));
    }

    @Scheduled(fixedDelay = 600_000, initialDelay = 120_000)
    public void purgeExpiredRows() {
        try {
            int deleted = repository.purge(consumer, clockMillis.getAsLong());
            log.debug("purged {} expired feature rows", deleted);
        } catch (RuntimeException e) {
            log.warn("could not purge expired feature rows, will try again: {}", e.getMessage());
        }
    }
}
