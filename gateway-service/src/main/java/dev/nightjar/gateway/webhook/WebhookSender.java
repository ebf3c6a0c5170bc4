package dev.nightjar.gateway.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * POSTs one signed event to one endpoint over a pooled keep-alive client. Redirects are not followed (a
 * redirect is a failed attempt); the answer's body is not read beyond its status.
 */
public final class WebhookSender {

    private final HttpClient http;
    private final WebhookProperties properties;
    private final WebhookUrls urls;
    private final Clock clock;

    public WebhookSender(WebhookProperties properties, WebhookUrls urls, Clock clock) {
        this.properties = properties;
        this.urls = urls;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(properties.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(sslContext(properties.trustCaFile()))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    public WebhookDeliveries.Outcome send(URI url, String secret, String payload) {
        long started = System.nanoTime();
        String refusal = urls.refusal(url);
        if (refusal != null) {
            return new WebhookDeliveries.Outcome(null, refusal, 0);
        }
        byte[] body = payload.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(properties.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "Nightjar-Webhooks/1.0")
                .header(WebhookSignatures.HEADER, WebhookSignatures.header(secret, clock.instant().getEpochSecond(), body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        try {
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            return new WebhookDeliveries.Outcome(response.statusCode(), null, elapsedMillis(started));
        } catch (HttpTimeoutException e) {
            return new WebhookDeliveries.Outcome(null, "no answer within " + properties.timeout().toSeconds() + " s",
                    elapsedMillis(started));
        } catch (IOException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new WebhookDeliveries.Outcome(null, reason.length() > 300 ? reason.substring(0, 300) : reason,
                    elapsedMillis(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookDeliveries.Outcome(null, "interrupted (gateway stopping)", elapsedMillis(started));
        }
    }

    private static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** The JDK's trusted CAs, plus one more when configured (the local platform's CA). */
    static SSLContext sslContext(String extraCaFile) {
        try {
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add(trustManager(null));
            if (extraCaFile != null && !extraCaFile.isBlank()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                try (InputStream in = Files.newInputStream(Path.of(extraCaFile))) {
                    int i = 0;
                    for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("extra-" + i++, certificate);
                    }
                }
                managers.add(trustManager(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new AnyOf(managers)}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("webhook TLS trust could not be set up from " + extraCaFile, e);
        }
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new IllegalStateException("no X.509 trust manager");
    }

    /** Trusts a server any of its managers trusts. */
    private record AnyOf(List<X509TrustManager> managers) implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("webhook delivery does not accept client connections");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last == null ? new CertificateException("no trust manager") : last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers())).toArray(X509Certificate[]::new);
        }
    }
}
