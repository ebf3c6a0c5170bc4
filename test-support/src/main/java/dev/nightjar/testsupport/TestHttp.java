package dev.nightjar.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTPS client for tests: calls a service as a given workload, over real TLS. */
public final class TestHttp {

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final String baseUrl;
    private final Duration requestTimeout;

    /** Calls {@code baseUrl} as {@code identity} (null for no client certificate), trusting the test CA. */
    public TestHttp(String baseUrl, String identity) {
        this(baseUrl, TestTls.clientContext(identity));
    }

    /** Calls {@code baseUrl} with the given TLS context (another CA's, say). */
    public static TestHttp withTls(String baseUrl, javax.net.ssl.SSLContext tls) {
        return new TestHttp(baseUrl, tls);
    }

    private TestHttp(String baseUrl, javax.net.ssl.SSLContext tls) {
        this(baseUrl, HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build(), REQUEST_TIMEOUT);
    }

    private TestHttp(String baseUrl, HttpClient client, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.requestTimeout = requestTimeout;
    }

    /** The same client, waiting up to {@code timeout} for each answer instead of 30 s: for calls whose work grows with the data. */
    public TestHttp waitingUpTo(Duration timeout) {
        return new TestHttp(baseUrl, client, timeout);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), Map.of());
    }

    public HttpResponse<String> get(String path, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), headers);
    }

    public HttpResponse<String> postJson(String path, String json) {
        return postJson(path, json, Map.of());
    }

    public HttpResponse<String> postJson(String path, String json, Map<String, String> headers) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    public HttpResponse<String> send(HttpRequest.Builder request, Map<String, String> headers) {
        headers.forEach(request::header);
        try {
            return client.send(request.timeout(requestTimeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
