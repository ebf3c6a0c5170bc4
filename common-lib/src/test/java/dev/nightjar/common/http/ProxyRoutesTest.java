package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * A call asks for a proxy only where one may be configured: Spring Boot's client would otherwise ask the JDK's
 * proxy selector on every call, for a route that is always direct between the services.
 */
class ProxyRoutesTest {

    private final ProxySelector jdkSelector = ProxySelector.getDefault();
    private HttpServer server;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ping", exchange -> {
            byte[] body = "pong".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        ProxySelector.setDefault(jdkSelector);
        server.stop(0);
    }

    @Test
    void noProxyIsConfiguredByDefault() {
        assertThat(PooledHttp.proxyConfigured(new Properties(), jdkSelector)).isFalse();
        assertThat(PooledHttp.proxyConfigured(System.getProperties(), jdkSelector)).as("this JVM's own").isFalse();
    }

    @Test
    void theJdksProxyPropertiesTheSystemsProxiesOrAnotherSelectorEachMeanOneMayBe() {
        for (String key : List.of("http.proxyHost", "https.proxyHost", "socksProxyHost")) {
            Properties properties = new Properties();
            properties.setProperty(key, "proxy.example");
            assertThat(PooledHttp.proxyConfigured(properties, jdkSelector)).as(key).isTrue();
            properties.setProperty(key, " ");
            assertThat(PooledHttp.proxyConfigured(properties, jdkSelector)).as(key + " blank").isFalse();
        }
        Properties system = new Properties();
        system.setProperty("java.net.useSystemProxies", "true");
        assertThat(PooledHttp.proxyConfigured(system, jdkSelector)).isTrue();
        assertThat(PooledHttp.proxyConfigured(new Properties(), new Recording())).isTrue();
    }

    @Test
    void aSelectorOfTheApplicationsOwnIsAskedForEveryCall() {
        Recording selector = new Recording();
        ProxySelector.setDefault(selector);

        RestClient client = client();
        assertThat(client.get().uri("/ping").retrieve().body(String.class)).isEqualTo("pong");
        assertThat(client.get().uri("/ping").retrieve().body(String.class)).isEqualTo("pong");

        // once per call for its route (the JDK's socket asks once more, as "socket://", for the new connection)
        assertThat(selector.asked).filteredOn(uri -> uri.getScheme().equals("http")).hasSize(2)
                .allMatch(uri -> uri.getPort() == server.getAddress().getPort());
    }

    @Test
    void withNoProxyConfiguredCallsGoDirectEvenWhenOneIsNamedLater() throws Exception {
        RestClient direct = client();
        // a "proxy" that takes a connection and closes it: a call that goes there fails
        try (ServerSocket proxy = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            AtomicInteger proxied = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                while (!proxy.isClosed()) {
                    try {
                        Socket socket = proxy.accept();
                        proxied.incrementAndGet();
                        socket.close();
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            // the JDK's selector reads these on every call, so a client that asked it per call would go there
            System.setProperty("http.proxyHost", "127.0.0.1");
            System.setProperty("http.proxyPort", Integer.toString(proxy.getLocalPort()));
            System.setProperty("http.nonProxyHosts", "");
            try {
                assertThat(direct.get().uri("/ping").retrieve().body(String.class)).isEqualTo("pong");
                assertThat(proxied).hasValue(0);

                RestClient proxiedClient = client();
                assertThatThrownBy(() -> proxiedClient.get().uri("/ping").retrieve().body(String.class))
                        .as("a client built with the proxy named goes to it").isInstanceOf(RestClientException.class);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (proxied.get() == 0 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                assertThat(proxied).hasValue(1);
            } finally {
                System.clearProperty("http.proxyHost");
                System.clearProperty("http.proxyPort");
                System.clearProperty("http.nonProxyHosts");
            }
        }
    }

    private RestClient client() {
        return RestClient.builder()
                .requestFactory(PooledHttp.requestFactory(Duration.ofSeconds(1), Duration.ofSeconds(5), null))
                .baseUrl("http://127.0.0.1:" + server.getAddress().getPort())
                .build();
    }

    /** Asked for routes; always answers "no proxy". */
    private static final class Recording extends ProxySelector {
        final List<URI> asked = new CopyOnWriteArrayList<>();

        @Override
        public List<Proxy> select(URI uri) {
            asked.add(uri);
            return List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        }
    }
}
