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
        return appendAfter(guard, "ob", topic, events, params);
    }

    /**
     * The same, as a CTE named {@code <name>_rows} with parameters prefixed {@code name}: several of these
     * (one per topic) can follow one change in one statement.
     */
    public static <P> String appendAfter(String guard, String name, Topic<P> topic, List<EventEnvelope<P>> events,
                                         Map<String, Object> params) {
        if (events.isEmpty()) {
            throw new IllegalArgumentException("no events to append");
        }
        String cte = "ob".equals(name) ? "outbox_rows" : name + "_rows";
        StringBuilder sql = new StringBuilder(cte
                + " AS (INSERT INTO outbox (topic, message_key, event_id, event_type, traceparent, payload) ");
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope<P> event = events.get(i);
            if (i > 0) {
                sql.append(" UNION ALL ");
            }
            sql.append("SELECT :").append(name).append("_topic").append(i).append(", :").append(name).append("_key").append(i)
                    .append(", :").append(name).append("_event").append(i).append(", :").append(name).append("_type").append(i)
                    .append(", :").append(name).append("_trace").append(i).append(", :").append(name).append("_payload").append(i)
                    .append(" FROM ").append(guard);
            params.put(name + "_topic" + i, topic.name());
            params.put(name + "_key" + i, event.key());
            params.put(name + "_event" + i, event.eventId());
            params.put(name + "_type" + i, event.type());
            params.put(name + "_trace" + i, event.traceparent());
            params.put(name + "_payload" + i, EventCodec.encode(event));
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
