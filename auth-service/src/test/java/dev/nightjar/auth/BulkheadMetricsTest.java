package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.auth.acquirer.AcquirerProperties;
import dev.nightjar.auth.acquirer.AcquirerResult;
import dev.nightjar.auth.authorization.AcquirerRouter;
import dev.nightjar.auth.authorization.RoutingProperties;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.observability.UnrecordedCalls;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.SilentServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.web.client.RestClient;

/** The acquirers' bulkheads as auth-service exports them: each acquirer's limit and the room left under it. */
class BulkheadMetricsTest {

    private static final AcquirerConnector.Card CARD = new AcquirerConnector.Card("4242424242424242", 12, 2030, "123");

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aCallInFlightAtAnAcquirerTakesOneOfItsBulkheadsPlacesUntilItEnds() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<AcquirerResult> call;
            try (SilentServer acquirer = new SilentServer()) {
                AcquirerRouter router = new AuthConfiguration().acquirerRouter(new AcquirerProperties(Map.of(
                                "acquirer-a", settings(acquirer.url(), 3), "acquirer-b", settings(acquirer.url(), 5))),
                        new RoutingProperties(List.of()), RestClient.builder(), null, withoutTls(), meters,
                        new StaticListableBeanFactory().getBeanProvider(UnrecordedCalls.class));

                assertThat(meters.scrape()).contains(
                        "resilience4j_bulkhead_max_allowed_concurrent_calls{name=\"acquirer-a\"} 3.0",
                        "resilience4j_bulkhead_max_allowed_concurrent_calls{name=\"acquirer-b\"} 5.0",
                        "resilience4j_bulkhead_available_concurrent_calls{name=\"acquirer-a\"} 3.0",
                        "resilience4j_bulkhead_available_concurrent_calls{name=\"acquirer-b\"} 5.0");

                call = threads.submit(() -> router.byName("acquirer-a").authorize("auth_1", "mer_1", 100, "EUR", CARD, true));
                Await.until("the call to take a place in acquirer-a's bulkhead", Duration.ofSeconds(10),
                        () -> available("acquirer-a") == 2.0);
                assertThat(meters.scrape()).contains(
                        "resilience4j_bulkhead_available_concurrent_calls{name=\"acquirer-a\"} 2.0",
                        "resilience4j_bulkhead_available_concurrent_calls{name=\"acquirer-b\"} 5.0");
                Await.until("the call to reach the acquirer", Duration.ofSeconds(10), () -> acquirer.connections() == 1);
            }
            // the acquirer dropped the connection, whether the request was still being written or already sent: the
            // call ends, and whether the acquirer acted is unknown
            assertThat(call.get(10, TimeUnit.SECONDS)).isInstanceOf(AcquirerResult.Unknown.class);
            Await.until("the place to be given back", Duration.ofSeconds(10), () -> available("acquirer-a") == 3.0);
        }
    }

    private double available(String acquirer) {
        return meters.get("resilience4j.bulkhead.available.concurrent.calls").tag("name", acquirer).gauge().value();
    }

    private static AcquirerProperties.Acquirer settings(String url, int maxConcurrentCalls) {
        return new AcquirerProperties.Acquirer(url, Duration.ofSeconds(1), Duration.ofSeconds(20), 0, maxConcurrentCalls,
                50, 20, 10, Duration.ofSeconds(10), 3, 0);
    }

    private static NightjarProperties withoutTls() {
        return new NightjarProperties(new NightjarProperties.Tls(false, null, true),
                new NightjarProperties.Security(List.of("/")), Map.of());
    }
}
