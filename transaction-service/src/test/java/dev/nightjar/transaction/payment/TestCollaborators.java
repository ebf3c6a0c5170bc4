package dev.nightjar.transaction.payment;

import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.http.InternalClients;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.web.client.RestClient;

/** {@link Collaborators} calling one service at a given URL over plain HTTP, for tests against a real socket. */
final class TestCollaborators {

    private TestCollaborators() {
    }

    /**
     * Collaborators whose client for {@code service} goes to {@code url} (connect timeout 1 s, the given read
     * timeout), counting auth-service's calls in {@code auth}.
     */
    static Collaborators calling(String service, String url, Duration readTimeout, Availability auth,
                                 MeterRegistry meters) {
        NightjarProperties nightjar = new NightjarProperties(new NightjarProperties.Tls(false, null, true),
                new NightjarProperties.Security(List.of("/")),
                Map.of(service, new NightjarProperties.Client(url, Duration.ofSeconds(1), readTimeout, 0, null)));
        TransactionProperties properties = new TransactionProperties(50_000, 3, Duration.ofSeconds(2),
                Duration.ofMinutes(5), 10, Duration.ofSeconds(15), Duration.ofSeconds(5), 16, 5, Duration.ofSeconds(1),
                Duration.ofSeconds(8));
        return new Collaborators(new InternalClients(RestClient.builder(), nightjar, null), properties, auth, meters);
    }
}
