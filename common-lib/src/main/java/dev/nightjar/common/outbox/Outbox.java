package dev.nightjar.common.outbox;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.Topic;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The transactional outbox: an event is written to the {@code outbox} table in the same database
 * transaction as the state change it announces, and {@link OutboxRelay} publishes it to Kafka afterwards.
 * A state change without its event, or an event without its state change, cannot happen.
 *
 * <p>The table comes from common-lib's shared SQL: a service adopts it with a migration
 * {@code class Vn__Outbox extends SharedSqlMigration}.
 */
public final class Outbox {

    public static final String INSERT = """
            INSERT INTO outbox (topic, message_key, event_id, event_type, traceparent, payload)
            VALUES (:topic, :key, :eventId, :type, :traceparent, :payload)""";

    private Outbox() {
    }

    /**
     * A common table expression that appends {@code events} to the outbox once per row of the CTE named
     * {@code guard}: put it after the statement that changes state, and the events exist exactly when the
     * change happened, in one statement and one round trip. Adds its parameters to {@code params}.
     *
     * <pre>WITH changed AS (UPDATE … RETURNING 1), events AS (INSERT INTO outbox …) SELECT count(*) FROM changed</pre>
     */
    public static <P> String appendAfter(String guard, Topic<P> topic, List<EventEnvelope<P>> events,
                                         Map<String, Object> params) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to append");
        }
        StringBuilder sql = new StringBuilder(
                "outbox_rows AS (INSERT INTO outbox (topic, message_key, event_id, event_type, traceparent, payload) ");
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope<P> event = events.get(i);
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT :ob_topic").append(i).append(", :ob_key").append(i).append(", :ob_event").append(i)
                    .append(", :ob_type").append(i).append(", :ob_trace").append(i).append(", :ob_payload").append(i)
                    .append(" FROM ").append(guard);
            params.put("ob_topic" + i, topic.name());
            params.put("ob_key" + i, event.key());
            params.put("ob_event" + i, event.eventId());
            params.put("ob_type" + i, event.type());
            params.put("ob_trace" + i, event.traceparent());
            params.put("ob_payload" + i, EventCodec.encode(event));
        }
        return sql.append(" RETURNING 1)").toString();
    }

    /** Appends the event inside the caller's current transaction on {@code jdbc}'s database. */
    public static <P> void append(JdbcClient jdbc, Topic<P> topic, EventEnvelope<P> envelope) {
        jdbc.sql(INSERT)
                .param("topic", topic.name())
                .param("key", envelope.key())
                .param("eventId", envelope.eventId())
                .param("type", envelope.type())
                .param("traceparent", envelope.traceparent())
                .param("payload", EventCodec.encode(envelope))
                .update();
    }
}
