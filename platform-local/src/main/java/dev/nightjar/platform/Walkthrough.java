package dev.nightjar.platform;

import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./nightjar up} prints when it is done: the gateway, the demo merchant's credentials and
 * commands to paste. The example card is the simulator's first approved test card, asked of the
 * simulator itself, which owns the test cards.
 */
final class Walkthrough {

    private Walkthrough() {
    }

    static String render(Platform platform, Platform.DemoMerchant demo) {
        String card = approvedTestCard(platform);
        String gateway = demo.gatewayUrl();
        return """

                Gateway        %1$s
                Merchant       %2$s
                client_id      %3$s
                client_secret  %4$s
                CA certificate %5$s
                (all of it also in %6$s)
                Traces         %8$s  (./nightjar trace <payment id> prints one as a tree)
                Prometheus     %9$s  (every service scraped, the SLO rules and alerts loaded)

                Take a payment:

                  CA=%5$s
                  TOKEN=$(curl -s --cacert "$CA" -u '%3$s:%4$s' \\
                    -d grant_type=client_credentials -d 'scope=payments:read payments:write' \\
                    %1$s/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')
                  curl -s --cacert "$CA" %1$s/v1/payments \\
                    -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: $(date +%%s%%N)" \\
                    -H 'Content-Type: application/json' \\
                    -d '{"amount": 1999, "currency": "EUR", "payment_method": {"type": "card", "card": {"number": "%7$s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}'
                  curl -s --cacert "$CA" -H "Authorization: Bearer $TOKEN" %1$s/v1/payments/<id from the answer>

                ./nightjar status shows every component; ./nightjar down stops them all.
                """.formatted(gateway, demo.merchantId(), demo.clientId(), demo.clientSecret(), demo.caFile(),
                platform.layout().demoMerchantFile(), card, platform.zipkin().url(), platform.prometheus().url());
    }

    static String approvedTestCard(Platform platform) {
        try {
            return TestCards.of(platform).first("approved", "visa").orElseGet(() -> "<a test card from " + TestCards.url(platform) + ">");
        } catch (IllegalStateException e) {
            return "<a test card from " + TestCards.url(platform) + ">";
        }
    }

}
