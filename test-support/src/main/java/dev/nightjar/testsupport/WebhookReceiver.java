package dev.nightjar.testsupport;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.nightjar.platform.pki.LocalCertificateAuthority;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A merchant's webhook endpoint for tests: a real HTTPS server on localhost with a certificate from the
 * given local CA directory. It records every request, answers the first {@code failFirst} with 500, and
 * verifies signatures the way docs/api.md tells merchants to, independently of the gateway's code.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    public record Received(String signature, String body, Instant at) {
    }

    private final HttpsServer server;
    private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    public WebhookReceiver(Path tlsDir) {
        try {
            LocalCertificateAuthority.openOrCreate(tlsDir).issue("webhook-receiver");
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.forWorkload(tlsDir, "webhook-receiver")));
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                received.add(new Received(exchange.getRequestHeaders().getFirst("Nightjar-Signature"),
                        new String(body, StandardCharsets.UTF_8), Instant.now()));
                int status = failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 200;
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "https://localhost:" + server.getAddress().getPort() + path;
    }

    /** The next {@code count} requests are answered 500. */
    public void failNext(int count) {
        failuresLeft.set(count);
    }

    public List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Waits for a request whose body matches. */
    public Received await(Predicate<String> body, Duration timeout) {
        return Await.until("a webhook matching the expectation", timeout,
                () -> received.stream().filter(r -> body.test(r.body())).findFirst().orElse(null));
    }

    /**
     * True when {@code header} is a valid signature of {@code body} under {@code secret}, made at most
     * {@code tolerance} ago: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}.
     */
    public static boolean verify(String secret, String header, String body, Duration tolerance) {
        if (header == null) {
            return false;
        }
        Map<String, String> parts = new java.util.HashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        try {
            long timestamp = Long.parseLong(parts.getOrDefault("t", ""));
            if (Math.abs(Instant.now().getEpochSecond() - timestamp) > tolerance.toSeconds()) {
                return false;
            }
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(expected, HexFormat.of().parseHex(parts.getOrDefault("v1", "")));
        } catch (NumberFormatException | java.security.GeneralSecurityException e) {
            return false;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
