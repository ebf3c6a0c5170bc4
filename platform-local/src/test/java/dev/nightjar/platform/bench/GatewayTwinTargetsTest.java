package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.platform.MerchantApi;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With a second gateway named, the open loop sends each merchant's payments to the two in turn, with the token it
 * signed in with; without one, every payment goes to the platform's gateway.
 */
class GatewayTwinTargetsTest {

    private static final String TWIN = "https://localhost:9180";
    private final AtomicInteger tokens = new AtomicInteger();
    private HttpServer gateway;
    private List<MerchantApi> merchants;

    @BeforeEach
    void signIn() throws IOException, InterruptedException {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/oauth2/token", exchange -> {
            byte[] body = ("{\"access_token\": \"token-" + tokens.incrementAndGet() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gateway.start();
        HttpClient http = HttpClient.newHttpClient();
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort();
        merchants = List.of(
                MerchantApi.signIn(http, url, new MerchantApi.Credentials("mer_one", "cli_one", "njs_one")),
                MerchantApi.signIn(http, url, new MerchantApi.Credentials("mer_two", "cli_two", "njs_two")));
    }

    @AfterEach
    void stop() {
        gateway.stop(0);
    }

    @Test
    void withoutASecondGatewayEveryPaymentGoesToThePlatformsGateway() {
        assertThat(OpenLoopBenchmark.targets(merchants, null)).isSameAs(merchants);
        assertThat(OpenLoopBenchmark.targets(merchants, " ")).isSameAs(merchants);
    }

    @Test
    void withASecondGatewayEachMerchantsPaymentsGoToTheTwoInTurnWithItsOwnToken() {
        List<MerchantApi> targets = OpenLoopBenchmark.targets(merchants, TWIN);

        assertThat(targets).hasSize(4);
        for (int n = 0; n < 8; n++) {
            MerchantApi merchant = merchants.get(n % 2);
            MerchantApi target = targets.get(n % targets.size());
            HttpRequest request = target.request("/v1/payments", Duration.ofSeconds(1)).GET().build();
            assertThat(target.credentials()).isEqualTo(merchant.credentials());
            assertThat(request.uri().toString()).isEqualTo((n / 2 % 2 == 0 ? merchant.gatewayUrl() : TWIN) + "/v1/payments");
            assertThat(request.headers().firstValue("Authorization"))
                    .isEqualTo(merchant.request("/v1/payments", Duration.ofSeconds(1)).GET().build().headers()
                            .firstValue("Authorization"));
        }
        assertThat(tokens).as("the twin's merchants sign in with the tokens they have").hasValue(2);
    }
}
