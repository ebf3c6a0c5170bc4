package dev.nightjar.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With its own TLS switched off behind a mesh (Istio does mTLS), the vault still checks who calls: the
 * caller's identity comes from the sidecar's X-Forwarded-Client-Cert header.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "nightjar.tls.enabled=false")
class MeshModeIT {

    private static final String AUTH = "By=spiffe://cluster.local/ns/payments/sa/vault-service;"
            + "URI=spiffe://cluster.local/ns/payments/sa/auth-service";
    private static final String GATEWAY = "By=spiffe://cluster.local/ns/payments/sa/vault-service;"
            + "URI=spiffe://cluster.local/ns/payments/sa/gateway-service";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        registry.add("server.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        dev.nightjar.testsupport.ServiceTestEnvironment.database(registry, "vault_mesh", "vault");
        Path keys = Files.createTempDirectory("vault-keys");
        registry.add("nightjar.vault.keystore.path", () -> keys.resolve("kek.p12").toString());
        registry.add("nightjar.vault.keystore.password", () -> "test-password");
    }

    @LocalServerPort
    int port;

    private HttpResponse<String> post(String path, String body, String xfcc) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (xfcc != null) {
            request.header("X-Forwarded-Client-Cert", xfcc);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void identityFromTheMeshHeaderIsCheckedAgainstTheCallGraph() throws Exception {
        HttpResponse<String> tokenized = post("/internal/v1/tokens",
                "{\"merchant_id\": \"mer_mesh\", \"number\": \"4242424242424242\", \"exp_month\": 12, \"exp_year\": 2030}", GATEWAY);
        assertThat(tokenized.statusCode()).isEqualTo(201);
        String token = (String) Json.MAPPER.readValue(tokenized.body(), Map.class).get("token");
        String detokenize = "/internal/v1/tokens/" + token + "/detokenize";
        assertThat(post(detokenize, "{\"merchant_id\": \"mer_mesh\"}", AUTH).statusCode()).isEqualTo(200);
        assertThat(post(detokenize, "{\"merchant_id\": \"mer_mesh\"}", GATEWAY).statusCode()).isEqualTo(403);
        assertThat(post(detokenize, "{\"merchant_id\": \"mer_mesh\"}", null).statusCode()).isEqualTo(401);
    }
}
