package dev.nightjar.acquirer;

import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The simulator under test, over its real HTTPS API: called as one workload or another, its switches flipped as the operator. */
final class SimulatorApi {

    private final String baseUrl;

    SimulatorApi(int port) {
        this.baseUrl = "https://localhost:" + port;
    }

    /** Test TLS, no simulated latency, a 90 basis point fee. */
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        registry.add("nightjar.acquirer.latency-median", () -> "0ms");
        registry.add("nightjar.acquirer.latency-p99", () -> "0ms");
        registry.add("nightjar.acquirer.fee-basis-points", () -> "90");
    }

    TestHttp as(String identity) {
        return new TestHttp(baseUrl, identity);
    }

    /** {@code PUT}s {@code settings} to an admin switch path, or {@code DELETE}s when they are null. */
    HttpResponse<String> switches(String path, String settings) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
        return as(Identities.OPERATOR).send(settings == null ? request.DELETE()
                : request.header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(settings)), Map.of());
    }
}
