package dev.nightjar.common.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Fleet-wide settings of one service.
 *
 * @param tls      the service's own TLS (mutual on the application port)
 * @param security which request paths are internal, so only callers of the call graph reach them
 * @param clients  the services this one calls, by workload name
 */
@Validated
@ConfigurationProperties("nightjar")
public record NightjarProperties(
        @DefaultValue Tls tls,
        @DefaultValue Security security,
        Map<String, Client> clients) {

    public NightjarProperties {
        clients = clients == null ? Map.of() : Map.copyOf(clients);
    }

    /**
     * @param enabled             false when a mesh (Istio) terminates mTLS in front of the service
     * @param dir                 where ca.crt and the service's certificate and key live
     * @param trustMeshIdentity   read the caller from the mesh's X-Forwarded-Client-Cert header
     */
    public record Tls(@DefaultValue("true") boolean enabled, String dir,
                      @DefaultValue("false") boolean trustMeshIdentity) {
    }

    /** @param protectedPrefixes request paths that require a caller allowed by the call graph */
    public record Security(@DefaultValue("/") List<String> protectedPrefixes) {
    }

    /**
     * @param url             base URL, e.g. https://localhost:9101
     * @param connectTimeout  bound on opening a connection
     * @param readTimeout     bound on waiting for the response
     * @param warmUpConnections keep-alive connections opened before the service's first request
     *                          ({@code ConnectionWarmUp}): for a service called on every request
     * @param twinUrl         for measuring only: a second instance of the service, sent every other call, so two
     *                        builds or settings of it serve the same calls in the same window
     *                        ({@code docs/tools/bench-twin.sh}); unset, every call goes to {@code url}
     */
    public record Client(String url,
                         @DefaultValue("2s") Duration connectTimeout,
                         @DefaultValue("10s") Duration readTimeout,
                         @DefaultValue("0") int warmUpConnections,
                         String twinUrl) {
    }
}
