package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.config.NightjarProperties;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.RestClient;

/** A service's {@code twin-url} gets every other call, for measuring two instances side by side; without one, none. */
class InternalClientsTwinTest {

    private final List<String> served = new CopyOnWriteArrayList<>();
    private HttpServer main;
    private HttpServer twin;

    @BeforeEach
    void start() throws IOException {
        main = server("main");
        twin = server("twin");
    }

    @AfterEach
    void stop() {
        main.stop(0);
        twin.stop(0);
    }

    @Test
    void aServiceWithATwinSendsItEveryOtherCallAndTheRestToItsUrl() {
        InternalClients clients = clients(url(twin));
        for (int id = 0; id < 10; id++) {
            assertThat(call(clients, id)).isEqualTo(id % 2 == 0 ? "main" : "twin");
        }
        assertThat(served).containsExactly("main /v1/things/0", "twin /v1/things/1", "main /v1/things/2",
                "twin /v1/things/3", "main /v1/things/4", "twin /v1/things/5", "main /v1/things/6", "twin /v1/things/7",
                "main /v1/things/8", "twin /v1/things/9");
    }

    @Test
    void aServiceWithoutATwinSendsEveryCallToItsUrl() {
        for (String unset : new String[] {null, " "}) {
            served.clear();
            InternalClients clients = clients(unset);
            for (int id = 0; id < 4; id++) {
                assertThat(call(clients, id)).isEqualTo("main");
            }
            assertThat(served).hasSize(4).allMatch(line -> line.startsWith("main "));
        }
    }

    private InternalClients clients(String twinUrl) {
        Duration timeout = Duration.ofSeconds(5);
        NightjarProperties properties = new NightjarProperties(new NightjarProperties.Tls(false, null, false),
                new NightjarProperties.Security(List.of("/")),
                Map.of("things", new NightjarProperties.Client(url(main), timeout, timeout, 0, twinUrl)));
        return new InternalClients(RestClient.builder(), properties, null);
    }

    private static String call(InternalClients clients, int id) {
        return clients.client("things").get().uri("/v1/things/{id}", id).retrieve().body(String.class);
    }

    private HttpServer server(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/things/", exchange -> {
            served.add(name + " " + exchange.getRequestURI().getPath());
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static String url(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }
}
