package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.testsupport.Await;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway's {@code /healthz}, as a global DNS failover's health checker sees it: no credentials, 200 {@code ok}
 * while the region can take a payment, 503 {@code unavailable} with Retry-After, and nothing more, while one of
 * the gateway's dependencies (the vault) is down; healthy again once it is back.
 */
@ExtendWith(Fleet.class)
class HealthzEndToEndIT {

    private static MerchantClient client;

    @BeforeAll
    static void client() {
        client = new MerchantClient(Fleet.running());
    }

    @Test
    void healthzSaysOkWithoutCredentialsThenUnavailableWhileTheVaultIsDownThenOkAgain() throws Exception {
        HttpResponse<String> healthy = probe();
        assertThat(healthy.statusCode()).isEqualTo(200);
        assertThat(healthy.body()).isEqualTo("ok\n");
        assertThat(healthy.headers().firstValue("Cache-Control")).hasValue("no-store");

        ProcessHandle vault = Fleet.running().platform().process(FleetMember.VAULT).orElseThrow();
        vault.destroyForcibly();
        vault.onExit().get();
        try {
            HttpResponse<String> down = Await.until("/healthz to say unavailable", Duration.ofSeconds(30), () -> {
                HttpResponse<String> answer = probe();
                return answer.statusCode() == 503 ? answer : null;
            });
            assertThat(down.body()).isEqualTo("unavailable\n");
            assertThat(down.headers().firstValue("Retry-After")).isPresent();
        } finally {
            Fleet.running().platform().up();
        }
        Await.until("/healthz to say ok again", Duration.ofSeconds(60), () -> probe().statusCode() == 200 ? true : null);
    }

    private static HttpResponse<String> probe() {
        return client.sendAs(null, HttpRequest.newBuilder(URI.create(Fleet.running().merchant().gatewayUrl() + "/healthz")).GET());
    }
}
