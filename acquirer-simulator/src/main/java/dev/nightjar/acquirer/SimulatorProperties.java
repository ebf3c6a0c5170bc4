package dev.nightjar.acquirer;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param name              which acquirer this instance plays (acquirer-a, acquirer-b)
 * @param timeoutCardDelay  how long the timeout test card holds the caller before answering
 * @param maxRecords        bound on the kept charge records
 */
@ConfigurationProperties("nightjar.acquirer")
public record SimulatorProperties(
        @DefaultValue("acquirer-a") String name,
        @DefaultValue("30s") Duration timeoutCardDelay,
        @DefaultValue("1000000") int maxRecords) {
}
