package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /internal/v1/ready} on the application port: whether this service can serve now (its readiness
 * group, the same the orchestrator's probe reads on the management port), for a caller that must know before
 * it sends work, such as the gateway's {@code /healthz}. The call graph decides who may ask. No detail: 200
 * {@code {"status":"ready"}}, or the contract's 503 with {@code Retry-After}.
 */
@RestController
public class ReadinessController {

    public static final String PATH = "/internal/v1/ready";

    private final ObjectProvider<HealthEndpoint> health;

    public ReadinessController(ObjectProvider<HealthEndpoint> health) {
        this.health = health;
    }

    @GetMapping(PATH)
    public Map<String, String> ready() {
        if (!isReady()) {
            throw new ApiException(503, ApiError.of(ErrorType.API, "service_unavailable",
                    "This service is not ready to serve; try again shortly."),
                    Map.of(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS));
        }
        return Map.of("status", "ready");
    }

    /** Whether this service's readiness group is UP: what {@code GET /internal/v1/ready} answers. */
    public boolean isReady() {
        HealthEndpoint endpoint = health.getIfAvailable();
        HealthDescriptor readiness = endpoint == null ? null : endpoint.healthForPath("readiness");
        return readiness != null && Status.UP.equals(readiness.getStatus());
    }
}
