package dev.nightjar.common.http;

import dev.nightjar.common.lifecycle.Watchdog;
import java.net.ProxySelector;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;

/**
 * The HTTP client every service-to-service and acquirer call goes through: Apache HttpClient 5 with a
 * pool of keep-alive connections (blocking I/O, cheap on virtual threads), mutual TLS from the service's
 * bundle, hard connect, TLS handshake and read timeouts (the last kept by the {@link Watchdog}, see
 * {@link DeadlineInterceptor}), a few handshakes with one target at a time
 * ({@link HandshakeGate}), idle connections closed before the server would close them, and no automatic
 * retries: whether a call may be repeated is decided where its idempotency is known. A connection that breaks
 * while a body is sent is an I/O error like any other, and every body goes out whole with its length ({@link WholeBodies}).
 */
public final class PooledHttp {

    /** Connections kept per target service; one per request in flight. */
    public static final int MAX_CONNECTIONS_PER_TARGET = 512;
    /** TLS handshakes with one target at a time ({@link HandshakeGate}). */
    public static final int HANDSHAKES_PER_TARGET = 4;
    /**
     * A connection idle this long is closed at the evictor's next pass (HttpClient 5.6 looks every tenth of it),
     * so about 2 minutes after its last use: below the services' keep-alive timeout (5 minutes,
     * {@code server.tomcat.keep-alive-timeout}), so a pooled connection is not closed under us, and long enough
     * that connections opened at a start or in a burst are still there for the next requests.
     */
    static final TimeValue IDLE_EVICTION = TimeValue.of(2, TimeUnit.MINUTES);
    private static final TimeValue VALIDATE_AFTER_INACTIVITY = TimeValue.of(2, TimeUnit.SECONDS);
    private static final Duration MIN_HANDSHAKE = Duration.ofSeconds(2);

    private PooledHttp() {
    }

    public static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout, SslBundle ssl) {
        return requestFactory(connectTimeout, readTimeout, ssl, Watchdog.shared());
    }

    static ClientHttpRequestFactory requestFactory(Duration connectTimeout, Duration readTimeout, SslBundle ssl,
            Watchdog watchdog) {
        HttpClientSettings settings = HttpClientSettings.defaults().withTimeouts(connectTimeout, readTimeout);
        if (ssl != null) {
            settings = settings.withSslBundle(ssl);
        }
        Duration handshake = handshakeTimeout(connectTimeout, readTimeout);
        HttpComponentsClientHttpRequestFactory factory = ClientHttpRequestFactoryBuilder.httpComponents()
                .withTlsSocketStrategyFactory(bundle -> bundle == null ? null : new HandshakeGate(
                        new DefaultClientTlsStrategy(bundle.createSslContext(), bundle.getOptions().getEnabledProtocols(),
                                bundle.getOptions().getCiphers(), null, new DefaultHostnameVerifier()),
                        HANDSHAKES_PER_TARGET, handshake))
                .withConnectionManagerCustomizer(pool -> pool
                        .setMaxConnPerRoute(MAX_CONNECTIONS_PER_TARGET)
                        .setMaxConnTotal(MAX_CONNECTIONS_PER_TARGET * 4)
                        // a handshake the server does not finish is given up like a connect, not a read
                        .setDefaultTlsConfig(TlsConfig.custom().setHandshakeTimeout(Timeout.of(handshake)).build()))
                .withConnectionConfigCustomizer(connection -> connection
                        .setValidateAfterInactivity(VALIDATE_AFTER_INACTIVITY))
                .withHttpClientCustomizer(client -> client
                        .disableAutomaticRetries()
                        // With a client certificate, connections are otherwise tagged with the TLS principal
                        // and never leased again by requests that carry no such tag: no reuse at all.
                        .disableConnectionState()
                        .evictIdleConnections(IDLE_EVICTION)
                        .disableCookieManagement()
                        .setRoutePlanner(proxyConfigured(System.getProperties(), ProxySelector.getDefault())
                                ? null : new DefaultRoutePlanner(DefaultSchemePortResolver.INSTANCE))
                        .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), DeadlineInterceptor.NAME,
                                new DeadlineInterceptor(readTimeout, watchdog)))
                .build(settings);
        // a call made for a request with a deadline waits no longer than the time it has left: for a pooled
        // connection here, for its answer from what is left once connected (DeadlineInterceptor)
        factory.setHttpContextFactory((method, uri) -> {
            Duration wait = Deadline.cap(readTimeout);
            if (wait == null) {
                return null;
            }
            HttpClientContext context = HttpClientContext.create();
            context.setRequestConfig(RequestConfig.custom()
                    .setConnectionRequestTimeout(Timeout.of(wait))
                    .build());
            return context;
        });
        return new WholeBodies(factory);
    }

    /**
     * Whether calls could have to go through a proxy: one named by the JDK's proxy properties, the system's
     * ({@code java.net.useSystemProxies}) or a {@link ProxySelector} other than the JDK's own. Only then does each
     * call ask the selector for its route (Spring Boot's client would on every call otherwise: 0.3-0.6 % of a
     * calling service's CPU, a URI built and the properties read for each, docs/performance.md).
     */
    static boolean proxyConfigured(Properties properties, ProxySelector selector) {
        for (String key : List.of("http.proxyHost", "https.proxyHost", "socksProxyHost")) {
            String host = properties.getProperty(key);
            if (host != null && !host.isBlank()) {
                return true;
            }
        }
        return Boolean.parseBoolean(properties.getProperty("java.net.useSystemProxies"))
                || selector != null && !selector.getClass().getName().equals("sun.net.spi.DefaultProxySelector");
    }

    /**
     * A TLS handshake waits as long as a connect, and at least {@link #MIN_HANDSHAKE} (a busy or just-restarted
     * server's share of a CPU), never longer than the call's read timeout: Apache HttpClient otherwise waits
     * for a handshake as long as for an answer.
     */
    static Duration handshakeTimeout(Duration connectTimeout, Duration readTimeout) {
        Duration atLeast = connectTimeout.compareTo(MIN_HANDSHAKE) > 0 ? connectTimeout : MIN_HANDSHAKE;
        return readTimeout.compareTo(atLeast) < 0 ? readTimeout : atLeast;
    }
}
