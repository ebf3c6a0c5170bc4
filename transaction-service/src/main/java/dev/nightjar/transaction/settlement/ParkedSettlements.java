package dev.nightjar.transaction.settlement;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code settlements_parked} table of one shard: settlements that could not apply when they arrived, with
 * the event as it arrived and the reason at the last try. Every method runs in the caller's transaction on
 * that shard's {@link JdbcClient}.
 */
final class ParkedSettlements {

    /** How many settlements are parked on a shard and since when the oldest (null when none). */
    record Backlog(long parked, Instant oldestParkedAt) {
    }

    private ParkedSettlements() {
    }

    /** Keeps {@code event} with {@code reason}; an event parked already stays as it was. */
    static void park(JdbcClient jdbc, EventEnvelope<SettlementEvent> event, String reason) {
        jdbc.sql("""
                        INSERT INTO settlements_parked (event_id, merchant_id, payment_id, reason, envelope)
                        VALUES (:event, :merchant, :payment, :reason, :envelope) ON CONFLICT (event_id) DO NOTHING""")
                .param("event", event.eventId())
                .param("merchant", event.payload().merchantId())
                .param("payment", event.payload().paymentId())
                .param("reason", reason)
                .param("envelope", EventCodec.encode(event))
                .update();
    }

    /**
     * The ids of up to {@code limit} parked settlements due to be decided again: those waiting for a capture ahead
     * of the others, the likeliest to apply, then the longest due, so a backlog of hopeless ones cannot hold them up.
     * The reason is written into the statement: given as a parameter, its plan (one per connection) cannot tell
     * how rare the waiting ones are, and read and sorted a whole backlog of the others to find the first due.
     */
    static List<String> due(JdbcClient jdbc, int limit) {
        return jdbc.sql(DUE).param("limit", limit).query(String.class).list();
    }

    private static final String DUE = """
            SELECT event_id FROM (
                (SELECT event_id, 0 AS rank, retry_at FROM settlements_parked
                  WHERE reason = '%1$s' AND retry_at <= now() ORDER BY retry_at, event_id LIMIT :limit)
                UNION ALL
                (SELECT event_id, 1 AS rank, retry_at FROM settlements_parked
                  WHERE reason <> '%1$s' AND retry_at <= now() ORDER BY retry_at, event_id LIMIT :limit)) due
            ORDER BY rank, retry_at, event_id LIMIT :limit""".formatted(SettlementDecision.NOT_CAPTURED);

    /**
     * The parked event, locked for the caller's transaction; empty when it is gone or another replica holds it
     * (that one decides it, this one moves on).
     */
    static Optional<EventEnvelope<SettlementEvent>> lock(JdbcClient jdbc, String eventId) {
        return jdbc.sql("SELECT envelope FROM settlements_parked WHERE event_id = :event FOR UPDATE SKIP LOCKED")
                .param("event", eventId)
                .query((rs, n) -> EventCodec.decode(Topics.SETTLEMENT_EVENTS, rs.getBytes(1)))
                .optional();
    }

    /**
     * Tried again and still parked, now for {@code reason}: due again at the next run when it waits for a capture,
     * else after {@code interval} doubled for every try so far, at most {@code maxWait}.
     */
    static void triedAgain(JdbcClient jdbc, String eventId, String reason, Duration interval, Duration maxWait) {
        jdbc.sql("""
                        UPDATE settlements_parked SET reason = :reason, attempts = attempts + 1, tried_at = now(),
                               retry_at = CASE WHEN :reason = :waiting THEN now()
                                               ELSE now() + make_interval(secs => least(:max_wait,
                                                        :interval * power(2, least(attempts, 30)))) END
                         WHERE event_id = :event""")
                .param("reason", reason)
                .param("waiting", SettlementDecision.NOT_CAPTURED)
                .param("interval", (double) interval.toMillis() / 1000)
                .param("max_wait", (double) maxWait.toMillis() / 1000)
                .param("event", eventId)
                .update();
    }

    /** Decided at last: no longer parked. */
    static void remove(JdbcClient jdbc, String eventId) {
        jdbc.sql("DELETE FROM settlements_parked WHERE event_id = :event").param("event", eventId).update();
    }

    static Backlog backlog(JdbcClient jdbc) {
        return jdbc.sql("SELECT count(*), min(parked_at) FROM settlements_parked")
                .query((rs, n) -> new Backlog(rs.getLong(1),
                        rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()))
                .single();
    }

    /**
     * Forgets up to {@code limit} of {@code consumer}'s deduplication records older than {@code kept}, which must
     * be longer than the topic keeps events: an event older than that cannot be delivered again. Returns how many.
     */
    static int purgeProcessed(JdbcClient jdbc, String consumer, Duration kept, int limit) {
        return jdbc.sql("""
                        DELETE FROM processed_events WHERE ctid = ANY(ARRAY(
                            SELECT ctid FROM processed_events
                             WHERE consumer = :consumer AND processed_at < now() - make_interval(secs => :age)
                             LIMIT :limit))""")
                .param("consumer", consumer)
                .param("age", (double) kept.toSeconds())
                .param("limit", limit)
                .update();
    }
}
