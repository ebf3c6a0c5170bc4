package dev.nightjar.transaction.payment;

import dev.nightjar.transaction.domain.Payment;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.SilentServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * nightjar_risk_fallback_total{reason}: payments decided without risk-service, against real sockets: one that
 * refuses connections, one that never answers, one that answers an error.
 */
class RiskFallbackTest {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(300);

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aRiskServiceThatDoesNotAnswerInTimeCountsAsTimeout() throws Exception {
        try (SilentServer risk = new SilentServer()) {
            Payment.Risk assessed = collaborators(risk.url()).assess(TestPayments.received("mer_1", 1999));

            assertThat(assessed.fallbackUsed()).isTrue();
            assertThat(meters.scrape()).contains("nightjar_risk_fallback_total{reason=\"timeout\"} 1.0",
                    "nightjar_risk_fallback_total{reason=\"unavailable\"} 0.0");
        }
    }

    @Test
    void aRiskServiceThatRefusesConnectionsOrAnswersAnErrorCountsAsUnavailable() {
        Collaborators down = collaborators("http://127.0.0.1:" + ServiceTestEnvironment.closedPort());
        assertThat(down.assess(TestPayments.received("mer_1", 1999)).fallbackUsed()).isTrue();

        HttpServer failing = failingServer();
        try {
            Collaborators broken = collaborators("http://127.0.0.1:" + failing.getAddress().getPort());
            assertThat(broken.assess(TestPayments.received("mer_1", 1999)).fallbackUsed()).isTrue();
        } finally {
            failing.stop(0);
        }

        assertThat(meters.scrape()).contains("nightjar_risk_fallback_total{reason=\"unavailable\"} 2.0",
                "nightjar_risk_fallback_total{reason=\"timeout\"} 0.0");
    }

    private Collaborators collaborators(String riskUrl) {
        return TestCollaborators.calling(Identities.RISK, riskUrl, READ_TIMEOUT,
                new Availability(Identities.AUTH, 5, Duration.ofSeconds(1), Duration.ofSeconds(8)), meters);
    }

    /** Answers every request with a 500. */
    private static HttpServer failingServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.createContext("/", exchange -> {
                exchange.sendResponseHeaders(500, -1);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
