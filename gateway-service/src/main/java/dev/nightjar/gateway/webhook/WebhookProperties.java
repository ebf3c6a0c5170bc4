package dev.nightjar.gateway.webhook;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook delivery.
 *
 * @param retryBase               the first retry's delay; each later one doubles it
 * @param maxDelay                the longest single wait between two attempts
 * @param giveUpAfter             how long after the event a delivery is still attempted
 * @param timeout                 how long an endpoint has to answer
 * @param concurrency             deliveries in flight at once (virtual threads)
 * @param pollInterval            how often due deliveries are looked for when nothing wakes the sender
 * @param maxEndpointsPerMerchant endpoints a merchant may register
 * @param allowLocalHttp          plain {@code http://localhost} and {@code http://127.0.0.1} accepted (local platform)
 * @param allowPrivateAddresses   deliveries to loopback and private networks allowed (local platform; never in production)
 * @param trustCaFile             a PEM CA certificate trusted for deliveries besides the JDK's (the local platform's CA)
 */
@ConfigurationProperties("nightjar.webhooks")
public record WebhookProperties(
        @DefaultValue("60s") Duration retryBase,
        @DefaultValue("12h") Duration maxDelay,
        @DefaultValue("3d") Duration giveUpAfter,
        @DefaultValue("10s") Duration timeout,
        @DefaultValue("32") int concurrency,
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("16") int maxEndpointsPerMerchant,
        @DefaultValue("false") boolean allowLocalHttp,
        @DefaultValue("false") boolean allowPrivateAddresses,
        String trustCaFile) {

    /** The wait after the given (1-based) failed attempt: base × 2^(attempt−1), at most {@link #maxDelay}. */
    public Duration delayAfter(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        long millis = retryBase.toMillis() << doublings;
        return millis <= 0 || millis > maxDelay.toMillis() ? maxDelay : Duration.ofMillis(millis);
    }
}
