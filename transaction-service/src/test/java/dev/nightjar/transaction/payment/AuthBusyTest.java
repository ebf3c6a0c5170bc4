package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.security.Identities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * auth-service as transaction-service counts it, over a real socket: a 503 it sheds at once because it is at its
 * limit (the {@code Nightjar-Busy} header of every service's in-flight filter) leaves it answering; a 503 without
 * the header is an outage, and after as many in a row as configured no new payment is started.
 */
class AuthBusyTest {

    private static final int FAILURES_TO_OPEN = 3;

    @Test
    void anAuthServiceSheddingRequestsIsBusyAndOneAnsweringPlain503sIsAway() throws IOException {
        HttpServer auth = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        boolean[] busy = {true};
        auth.createContext("/", exchange -> {
            byte[] body = "{\"error\":{\"type\":\"api_error\",\"code\":\"service_unavailable\",\"message\":\"busy\"}}"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
            if (busy[0]) {
                exchange.getResponseHeaders().set(ApiException.BUSY, "true");
            }
            exchange.sendResponseHeaders(503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        auth.start();
        try {
            Collaborators collaborators = collaborators("http://127.0.0.1:" + auth.getAddress().getPort());
            for (int i = 0; i < 2 * FAILURES_TO_OPEN; i++) {
                collaborators.authorize(TestPayments.received("mer_1", 1999));
            }
            assertThat(collaborators.authIsAway()).as("six busy answers in a row").isFalse();

            busy[0] = false;
            for (int i = 0; i < FAILURES_TO_OPEN; i++) {
                collaborators.authorize(TestPayments.received("mer_1", 1999));
            }
            assertThat(collaborators.authIsAway()).as("three plain 503s in a row").isTrue();
        } finally {
            auth.stop(0);
        }
    }

    private static Collaborators collaborators(String authUrl) {
        return TestCollaborators.calling(Identities.AUTH, authUrl, Duration.ofSeconds(2),
                new Availability(Identities.AUTH, FAILURES_TO_OPEN, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                new SimpleMeterRegistry());
    }
}
