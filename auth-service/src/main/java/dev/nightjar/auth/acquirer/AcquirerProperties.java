package dev.nightjar.auth.acquirer;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The acquirers auth-service can reach, by name. */
@ConfigurationProperties("nightjar")
public record AcquirerProperties(Map<String, Acquirer> acquirers) {

    public AcquirerProperties {
        acquirers = acquirers == null ? Map.of() : Map.copyOf(acquirers);
    }

    /**
     * @param url            base URL of the acquirer's API
     * @param connectTimeout bound on connecting
     * @param readTimeout    bound on the answer; past it the outcome is unknown
     * @param errorRetries   immediate retries after an acquirer error (the acquirer deduplicates on our reference)
     */
    public record Acquirer(String url,
                           @DefaultValue("1s") Duration connectTimeout,
                           @DefaultValue("3s") Duration readTimeout,
                           @DefaultValue("2") int errorRetries) {
    }
}
