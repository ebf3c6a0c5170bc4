package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.security.Identities;
import dev.nightjar.platform.pki.TlsContexts;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestTls;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * auth-service against a vault that sheds at its in-flight bound: a {@code 503} marked {@code Nightjar-Busy} did
 * nothing at the vault (no audit record, the CVC not taken), so auth-service asks again for the card before it counts
 * the vault as unable to give it. The vault here is a TLS server with the vault's certificate that answers busy
 * twice and then with the card; the acquirers' port is closed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthVaultBusyIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();
    private static final int BUSY_ANSWERS = 2;
    private static final AtomicInteger VAULT_REQUESTS = new AtomicInteger();
    private static final HttpsServer VAULT = busyVault();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        AuthItEnvironment.register(registry, "https://localhost:" + VAULT.getAddress().getPort(), "https://localhost:" + CLOSED_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @Autowired
    JdbcClient jdbc;

    /** Answers the first {@link #BUSY_ANSWERS} detokenizations busy, every later one with a test card. */
    private static HttpsServer busyVault() {
        try {
            HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.forWorkload(TestTls.dir(), Identities.VAULT)));
            server.createContext("/internal/v1/tokens/", exchange -> {
                boolean busy = VAULT_REQUESTS.incrementAndGet() <= BUSY_ANSWERS;
                byte[] body = (busy
                        ? "{\"error\":{\"type\":\"api_error\",\"code\":\"service_unavailable\",\"message\":\"busy\"}}"
                        : "{\"number\":\"4242424242424242\",\"exp_month\":12,\"exp_year\":2035,\"cvc\":\"123\"}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getRequestBody().readAllBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (busy) {
                    exchange.getResponseHeaders().set(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
                    exchange.getResponseHeaders().set(ApiException.BUSY, "true");
                }
                exchange.sendResponseHeaders(busy ? 503 : 200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stopVault() {
        VAULT.stop(0);
    }

    @Test
    void aBusyVaultIsAskedAgainForTheCardBeforeTheAttemptCountsAsNeverSent() {
        HttpResponse<String> response = AuthItEnvironment.authorize(port, Identities.TRANSACTION, "pay_vault_busy");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(meters.counter("nightjar.busy.retries", "callee", Identities.VAULT).count())
                .as("asked again after each busy answer").isEqualTo(BUSY_ANSWERS);
        // the first attempt got its card on the third ask; its acquirer is unreachable, so the second attempt (the
        // other acquirer) asks for the card once more, and gets it at once
        assertThat(VAULT_REQUESTS).hasValue(BUSY_ANSWERS + 2);
        // the outcome's event has left for Kafka before the test ends, not while the broker stops
        Await.until("an empty outbox", Duration.ofSeconds(10),
                () -> jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0L);
    }
}
