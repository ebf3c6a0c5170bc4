package dev.nightjar.common.observability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import zipkin2.reporter.BaseHttpSender;
import zipkin2.reporter.Encoding;
import zipkin2.reporter.HttpEndpointSuppliers;

/**
 * Posts each batch of spans to a Zipkin server as encoded, uncompressed. Spring Boot's sender gzips every batch
 * over 1 KB, and no property turns that off; on the local platform, whose Zipkin listens on loopback, that cost the
 * services' span exporters about 0.1 ms of CPU per payment at 60 payments/s, and saved Zipkin nothing measurable
 * (docs/performance.md, "Spans to Zipkin uncompressed").
 */
final class PlainZipkinSender extends BaseHttpSender<URI, byte[]> {

    private final HttpClient client;
    private final Duration readTimeout;

    PlainZipkinSender(Encoding encoding, String endpoint, Duration connectTimeout, Duration readTimeout) {
        super(encoding, HttpEndpointSuppliers.constantFactory(), endpoint);
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
        this.readTimeout = readTimeout;
    }

    @Override
    protected URI newEndpoint(String endpoint) {
        return URI.create(endpoint);
    }

    @Override
    protected byte[] newBody(List<byte[]> spans) {
        return encoding.encode(spans);
    }

    @Override
    protected void postSpans(URI endpoint, byte[] body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(readTimeout)
                .header("Content-Type", encoding.mediaType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try {
            int status;
            try {
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (HttpTimeoutException e) {
                throw e;
            } catch (IOException e) {
                // A kept-alive connection Zipkin closed as idle just as this batch went out on it ("header parser
                // received no bytes"): the batch is lost unless sent again, on a new connection. Zipkin merges a
                // span it is sent twice.
                status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            }
            if (status / 100 != 2) {
                throw new IOException("Zipkin answered HTTP " + status + " to " + body.length + " bytes of spans");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending spans", e);
        }
    }

    @Override
    protected void doClose() {
        client.close();
    }
}
