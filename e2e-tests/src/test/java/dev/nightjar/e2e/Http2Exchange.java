package dev.nightjar.e2e;

import dev.nightjar.e2e.HostileRequests.Expect;
import dev.nightjar.e2e.HostileRequests.Probe;
import dev.nightjar.testsupport.RawHttps.Answer;
import dev.nightjar.testsupport.RawHttps.Header;
import dev.nightjar.testsupport.RawHttps.Request;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * Sends the hostile sweep's requests over HTTP/2, as the JDK's client frames them: every probe that HTTP/2 can
 * carry as written. Probes about HTTP/1.1's own framing (a missing or second {@code Host}, a body without its
 * length or cut short, {@code Connection}, {@code Content-Length}) have no HTTP/2 form and are left to the
 * HTTP/1.1 sweep, as are targets the client cannot put in a URI.
 */
final class Http2Exchange {

    /** The gateway's {@code server.max-http-request-header-size}: past it, HTTP/2 resets the stream (docs/api.md). */
    static final int HEADER_LIMIT_BYTES = 16 * 1024;
    /** Tomcat's {@code maxHeaderCount}: past it too. */
    static final int HEADER_LIMIT_COUNT = 100;
    private static final Set<String> NO_HTTP2_FORM = Set.of("host", "connection", "content-length", "expect", "upgrade",
            "transfer-encoding", "keep-alive", "te");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client;
    private final String origin;
    private final AtomicInteger notHttp2 = new AtomicInteger();

    Http2Exchange(SSLContext tls, int port) {
        this.client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_2)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).connectTimeout(Duration.ofSeconds(10)).build();
        this.origin = "https://localhost:" + port;
    }

    /**
     * The probe as HTTP/2 carries it, when it can: a probe whose headers (its path among them) pass the server's
     * limits may be answered with a 4xx or have its stream reset, which is what the contract says of HTTP/2.
     */
    Optional<Probe> carry(Probe probe) {
        if (build(probe.request()).isEmpty()) {
            return Optional.empty();
        }
        Request request = probe.request();
        if (headerBytes(request) > HEADER_LIMIT_BYTES || request.headers().size() > HEADER_LIMIT_COUNT) {
            return Optional.of(new Probe(probe.path(), probe.method(), probe.variant() + " (HTTP/2: 4xx or stream reset)",
                    probe.request(), Expect.ANSWER_OR_HANG_UP));
        }
        return Optional.of(probe);
    }

    Answer send(Request request) throws IOException {
        HttpRequest built = build(request).orElseThrow(() -> new IllegalArgumentException("no HTTP/2 form: " + request.target()));
        try {
            HttpResponse<byte[]> response = client.send(built, HttpResponse.BodyHandlers.ofByteArray());
            if (response.version() != HttpClient.Version.HTTP_2) {
                notHttp2.incrementAndGet();
            }
            return new Answer(response.statusCode(), response.headers().map(), response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Answers that came over HTTP/1.1 after all: none, or the sweep proved nothing about HTTP/2. */
    int answeredOverHttp11() {
        return notHttp2.get();
    }

    private Optional<HttpRequest> build(Request request) {
        if (request.halfClose() || (request.body() != null && !request.declareLength())
                || !request.target().chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.empty();
        }
        List<Header> hosts = request.headers().stream().filter(h -> h.name().equalsIgnoreCase("Host")).toList();
        if (hosts.size() != 1 || !new String(hosts.get(0).value(), StandardCharsets.ISO_8859_1).equals("localhost")) {
            return Optional.empty();
        }
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(origin + request.target())).timeout(TIMEOUT);
            for (Header header : request.headers()) {
                String name = header.name().toLowerCase(Locale.ROOT);
                if (name.equals("host")) {
                    continue;
                }
                if (NO_HTTP2_FORM.contains(name)) {
                    return Optional.empty();
                }
                builder.header(header.name(), new String(header.value(), StandardCharsets.ISO_8859_1));
            }
            HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body());
            return Optional.of(builder.method(request.method(), body).build());
        } catch (IllegalArgumentException e) {
            // a target no URI can hold, a header name or value the client will not send, a method it refuses
            return Optional.empty();
        }
    }

    private static int headerBytes(Request request) {
        int bytes = request.target().length() + request.method().length();
        for (Header header : request.headers()) {
            bytes += header.name().length() + header.value().length;
        }
        return bytes;
    }
}
