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
     * @param maxConcurrentCalls   the bulkhead: calls in flight to this acquirer at most
     * @param failureRateThreshold percentage of failed or timed-out calls that opens the breaker
     * @param slidingWindow        calls the failure rate is computed over
     * @param minimumCalls         calls needed before the rate means anything
     * @param openFor              how long an open breaker refuses calls before letting a few through
     * @param halfOpenCalls        calls let through to decide whether the acquirer is back
     * @param warmUpConnections    keep-alive connections opened before the service's first request
     *                             ({@code ConnectionWarmUp}): for an acquirer that takes payments
     */
    public record Acquirer(String url,
                           @DefaultValue("1s") Duration connectTimeout,
                           @DefaultValue("3s") Duration readTimeout,
                           @DefaultValue("2") int errorRetries,
                           @DefaultValue("64") int maxConcurrentCalls,
                           @DefaultValue("50") int failureRateThreshold,
                           @DefaultValue("20") int slidingWindow,
                           @DefaultValue("10") int minimumCalls,
                           @DefaultValue("10s") Duration openFor,
                           @DefaultValue("3") int halfOpenCalls,
                           @DefaultValue("0") int warmUpConnections) {
    }
}
