package dev.nightjar.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.web.AdmissionLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookDispatcherShareTest {

    @Test
    void deliveriesTakeTheAdmissionLimitsShareOfTheirConcurrencyAndNeverNone() {
        assertThat(WebhookDispatcher.share(32, AdmissionLimit.fixed(128))).as("no pressure: all 32").isEqualTo(32);
        assertThat(WebhookDispatcher.share(32, new AdmissionLimit(32, 128, Duration.ofMillis(200))))
                .as("a gateway admitting a quarter of its most sends a quarter").isEqualTo(8);
        assertThat(WebhookDispatcher.share(32, new AdmissionLimit(1, 128, Duration.ofMillis(200))))
                .as("at least one delivery goes on").isEqualTo(1);
    }
}
