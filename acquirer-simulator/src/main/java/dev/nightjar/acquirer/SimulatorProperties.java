package dev.nightjar.acquirer;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param name               which acquirer this instance plays (acquirer-a, acquirer-b)
 * @param timeoutCardDelay   how long the timeout test card holds the caller before answering
 * @param maxRecords         bound on the kept charge records (and on the authorizations' holds); the oldest go first,
 *                           except those settlement has not taken yet, which are set aside (as many again at most)
 * @param latencyMedian      the median time to answer
 * @param latencyP99         the 99th percentile of the time to answer (log-normal between the two)
 * @param feeBasisPoints     the acquirer's fee on each capture, in hundredths of a percent
 * @param dataDir            where the network keeps its journal, so its records survive a restart; unset, it keeps
 *                           them in memory only (tests) and forgets them at exit
 * @param journalSegmentSize how large the journal's current file grows (or as large as the last snapshot, if that
 *                           is larger) before it is compacted into a snapshot of what the network still keeps
 */
@ConfigurationProperties("nightjar.acquirer")
public record SimulatorProperties(
        @DefaultValue("acquirer-a") String name,
        @DefaultValue("30s") Duration timeoutCardDelay,
        @DefaultValue("1000000") int maxRecords,
        @DefaultValue("8ms") Duration latencyMedian,
        @DefaultValue("40ms") Duration latencyP99,
        @DefaultValue("90") int feeBasisPoints,
        Path dataDir,
        @DefaultValue("64MB") DataSize journalSegmentSize) {

    static final int MAX_RECORDS_BOUND = 10_000_000;

    public SimulatorProperties {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("nightjar.acquirer.name must name the acquirer, e.g. acquirer-a");
        }
        if (maxRecords < 1 || maxRecords > MAX_RECORDS_BOUND) {
            throw new IllegalArgumentException("nightjar.acquirer.max-records must be from 1 to " + MAX_RECORDS_BOUND);
        }
        if (journalSegmentSize.toBytes() < DataSize.ofKilobytes(64).toBytes()
                || journalSegmentSize.toBytes() > DataSize.ofGigabytes(16).toBytes()) {
            throw new IllegalArgumentException("nightjar.acquirer.journal-segment-size must be from 64KB to 16GB");
        }
    }
}
