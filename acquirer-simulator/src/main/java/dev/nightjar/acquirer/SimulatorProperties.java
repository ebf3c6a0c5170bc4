package dev.nightjar.acquirer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param name              which acquirer this instance plays (acquirer-a, acquirer-b)
 * @param timeoutCardDelay  how long the timeout test card holds the caller before answering
 * @param maxRecords        bound on the kept charge records
 * @param latencyMedian     the median time to answer
 * @param latencyP99        the 99th percentile of the time to answer (log-normal between the two)
 * @param feeBasisPoints    the acquirer's fee on each capture, in hundredths of a percent
 */
@ConfigurationProperties("nightjar.acquirer")
public record SimulatorProperties(
        @DefaultValue("acquirer-a") String name,
        @DefaultValue("30s") Duration timeoutCardDelay,
        @DefaultValue("1000000") int maxRecords,
        @DefaultValue("8ms") Duration latencyMedian,
        @DefaultValue("40ms") Duration latencyP99,
        @DefaultValue("90") int feeBasisPoints) {
}
