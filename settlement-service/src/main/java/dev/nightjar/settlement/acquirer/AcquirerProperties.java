package dev.nightjar.settlement.acquirer;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The acquirers settlement-service clears with, by name: the same {@code nightjar.acquirers.<name>.url}
 * properties auth-service reads, so one setting points both at an acquirer.
 */
@ConfigurationProperties("nightjar")
public record AcquirerProperties(Map<String, Acquirer> acquirers) {

    public AcquirerProperties {
        acquirers = acquirers == null ? Map.of() : Map.copyOf(acquirers);
    }

    /**
     * @param url                       base URL of the acquirer's API
     * @param connectTimeout            bound on connecting
     * @param settlementReadTimeout     bound on the answer to a batch submission or a report fetch (large bodies)
     */
    public record Acquirer(String url,
                           @DefaultValue("2s") Duration connectTimeout,
                           @DefaultValue("120s") Duration settlementReadTimeout) {
    }
}
