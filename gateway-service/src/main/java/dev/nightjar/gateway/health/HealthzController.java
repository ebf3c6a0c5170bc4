package dev.nightjar.gateway.health;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.security.Identities;
import dev.nightjar.common.web.ReadinessController;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /healthz} on the public port, for a global DNS failover's health checks (a Route 53 check on each
 * region's gateway): 200 {@code ok} when this region can take a payment, 503 {@code unavailable} with
 * {@code Retry-After} when it cannot. It says nothing else to the internet: no names, no reasons. Needs no
 * credentials, answers from a verdict at most two seconds old ({@link RegionHealth}), and asks the gateway's
 * own readiness and the vault's and transaction-service's ({@code /internal/v1/ready}), each within 1.5 s.
 */
@RestController
public class HealthzController implements DisposableBean {

    static final Duration CHECK_TIMEOUT = Duration.ofMillis(1500);
    static final Duration VERDICT_TTL = Duration.ofSeconds(2);

    private final RegionHealth region;

    public HealthzController(ReadinessController own, InternalClients clients) {
        this.region = new RegionHealth(List.of(
                own::isReady,
                () -> ready(clients, Identities.VAULT),
                () -> ready(clients, Identities.TRANSACTION)), CHECK_TIMEOUT, VERDICT_TTL);
    }

    private static boolean ready(InternalClients clients, String service) {
        return clients.client(service).get().uri(ReadinessController.PATH).retrieve().toBodilessEntity()
                .getStatusCode().is2xxSuccessful();
    }

    @GetMapping("/healthz")
    public ResponseEntity<String> healthz() throws InterruptedException {
        boolean healthy = region.healthy();
        ResponseEntity.BodyBuilder answer = healthy
                ? ResponseEntity.ok()
                : ResponseEntity.status(503).header(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
        return answer.cacheControl(CacheControl.noStore()).contentType(MediaType.TEXT_PLAIN)
                .body(healthy ? "ok\n" : "unavailable\n");
    }

    @Override
    public void destroy() {
        region.close();
    }
}
