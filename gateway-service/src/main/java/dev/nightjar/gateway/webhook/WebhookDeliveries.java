package dev.nightjar.gateway.webhook;

import dev.nightjar.common.jdbc.SqlArrays;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The delivery queue, in the gateway's database so that nothing is lost across a restart. Senders lease
 * due rows with {@code SKIP LOCKED} (several gateway replicas share the queue); a lease that is never
 * settled (a crash mid-delivery) simply falls due again.
 */
public final class WebhookDeliveries {

    private final JdbcClient jdbc;

    public WebhookDeliveries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One event to be delivered to every endpoint of its merchant that asked for its type. */
    public record Event(String eventId, String merchantId, String type, String payload, String traceparent) {
    }

    /** A leased delivery; {@code attempt} is the number of the attempt about to be made. */
    public record Due(long id, String eventId, String endpointId, String url, byte[] sealedSecret, boolean endpointDeleted,
                      String payload, int attempt, Instant created, String traceparent) {
    }

    /** Enqueues the events' deliveries; an event seen before (Kafka redelivery) adds nothing. Returns rows added. */
    public int enqueue(List<Event> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return jdbc.sql("""
                        INSERT INTO webhook_deliveries (event_id, endpoint_id, merchant_id, event_type, payload, traceparent)
                        SELECT ev.event_id, we.id, ev.merchant_id, ev.type, ev.payload, ev.traceparent
                        FROM unnest(CAST(:ids AS text[]), CAST(:merchants AS text[]), CAST(:types AS text[]),
                                    CAST(:payloads AS text[]), CAST(:traceparents AS text[]))
                             AS ev (event_id, merchant_id, type, payload, traceparent)
                        JOIN webhook_endpoints we
                          ON we.merchant_id = ev.merchant_id AND we.deleted_at IS NULL AND ev.type = ANY (we.events)
                        ON CONFLICT (event_id, endpoint_id) DO NOTHING""")
                .param("ids", SqlArrays.text(events.stream().map(Event::eventId).toList()))
                .param("merchants", SqlArrays.text(events.stream().map(Event::merchantId).toList()))
                .param("types", SqlArrays.text(events.stream().map(Event::type).toList()))
                .param("payloads", SqlArrays.text(events.stream().map(Event::payload).toList()))
                .param("traceparents", SqlArrays.text(events.stream().map(Event::traceparent).toList()))
                .update();
    }

    /** Leases up to {@code limit} due deliveries for {@code lease}; each lease counts as an attempt. */
    public List<Due> lease(int limit, Duration lease) {
        return jdbc.sql("""
                        UPDATE webhook_deliveries d
                        SET attempts = d.attempts + 1, next_attempt_at = now() + make_interval(secs => :lease)
                        FROM (SELECT id FROM webhook_deliveries
                              WHERE status = 'pending' AND next_attempt_at <= now()
                              ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED) due,
                             webhook_endpoints we
                        WHERE d.id = due.id AND we.id = d.endpoint_id
                        RETURNING d.id, d.event_id, d.endpoint_id, we.url, we.secret_ciphertext, we.deleted_at IS NOT NULL,
                                  d.payload, d.attempts, d.created_at, d.traceparent""")
                .param("lease", (double) lease.toMillis() / 1000).param("limit", limit)
                .query((rs, n) -> new Due(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBytes(5),
                        rs.getBoolean(6), rs.getString(7), rs.getInt(8), rs.getTimestamp(9).toInstant(), rs.getString(10)))
                .list();
    }

    /** What an attempt came to. */
    public record Outcome(Integer responseStatus, String error, long durationMillis) {

        public boolean delivered() {
            return responseStatus != null && responseStatus >= 200 && responseStatus < 300;
        }
    }

    /**
     * Records the attempt and settles the delivery in one statement: delivered, retried at {@code retryAt},
     * or abandoned ({@code retryAt} null).
     */
    public void settle(Due due, Outcome outcome, Instant retryAt) {
        String status = outcome.delivered() ? "delivered" : retryAt == null ? "abandoned" : "pending";
        jdbc.sql("""
                        WITH attempt AS (
                            INSERT INTO webhook_attempts (delivery_id, attempt, response_status, error, duration_ms)
                            VALUES (:id, :attempt, :response, :error, :duration)
                            ON CONFLICT DO NOTHING)
                        UPDATE webhook_deliveries
                        SET status = :status,
                            next_attempt_at = COALESCE(CAST(:retry_at AS timestamptz), next_attempt_at),
                            finished_at = CASE WHEN :status = 'pending' THEN NULL ELSE now() END
                        WHERE id = :id AND attempts = :attempt AND status = 'pending'""")
                .param("id", due.id()).param("attempt", due.attempt()).param("response", outcome.responseStatus())
                .param("error", outcome.error()).param("duration", (int) Math.min(Integer.MAX_VALUE, outcome.durationMillis()))
                .param("status", status)
                .param("retry_at", retryAt == null ? null : java.sql.Timestamp.from(retryAt))
                .update();
    }

    /** Deliveries still pending, for health and tests. */
    public long pending() {
        return jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'").query(Long.class).single();
    }
}
