package dev.nightjar.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** nightjar_webhooks_backlog on the gateway's real schema: deliveries due and not yet delivered. */
class WebhookBacklogTest {

    @Test
    void countsTheDeliveriesDueAndDropsThoseLeasedForSendingOrDelivered() {
        TestPostgres.TestDatabase database = TestPostgres.migrated("gateway_webhook_backlog", "gateway");
        JdbcClient owner = JdbcClient.create(database.owner());
        JdbcClient app = JdbcClient.create(database.app());
        owner.sql("INSERT INTO merchants (id, name) VALUES ('mer_backlog', 'Backlog') ON CONFLICT DO NOTHING").update();
        owner.sql("""
                INSERT INTO webhook_endpoints (id, merchant_id, url, events, secret_ciphertext)
                VALUES ('we_backlog', 'mer_backlog', 'https://example.test/hook', ARRAY['payment.captured'], '\\x00')
                ON CONFLICT DO NOTHING""").update();
        owner.sql("DELETE FROM webhook_attempts").update();
        owner.sql("DELETE FROM webhook_deliveries").update();
        delivery(owner, "evt_due_1", "pending", "now() - interval '5 seconds'");
        delivery(owner, "evt_due_2", "pending", "now() - interval '1 minute'");
        delivery(owner, "evt_backing_off", "pending", "now() + interval '1 hour'");
        delivery(owner, "evt_delivered", "delivered", "now() - interval '1 hour'");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        WebhookBacklog backlog = new WebhookBacklog(app, meters);

        backlog.refresh();
        assertThat(meters.scrape()).contains("nightjar_webhooks_backlog 2.0");

        List<WebhookDeliveries.Due> leased = new WebhookDeliveries(app).lease(1, Duration.ofSeconds(30));
        assertThat(leased).hasSize(1);
        backlog.refresh();
        assertThat(meters.scrape()).as("the one being sent is no longer waiting").contains("nightjar_webhooks_backlog 1.0");
    }

    private static void delivery(JdbcClient jdbc, String eventId, String status, String nextAttemptAt) {
        jdbc.sql("INSERT INTO webhook_deliveries (event_id, endpoint_id, merchant_id, event_type, payload, status, next_attempt_at)"
                        + " VALUES (:event, 'we_backlog', 'mer_backlog', 'payment.captured', '{}', :status, " + nextAttemptAt + ")")
                .param("event", eventId).param("status", status).update();
    }
}
