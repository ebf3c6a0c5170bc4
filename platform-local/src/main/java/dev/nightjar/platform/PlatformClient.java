package dev.nightjar.platform;

import dev.nightjar.common.security.Identities;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** HTTPS calls the operator makes to the platform: health checks and the operator API, with the operator's certificate. */
public final class PlatformClient {

    private final HttpClient http;

    public PlatformClient(PlatformLayout layout) {
        this.http = HttpClient.newBuilder()
                .sslContext(TlsContexts.forWorkload(layout.tls(), Identities.OPERATOR))
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public HttpResponse<String> get(String url, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Any request, as the operator. */
    public HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) throws IOException, InterruptedException {
        return http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> postJson(String url, String json, Duration timeout) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
