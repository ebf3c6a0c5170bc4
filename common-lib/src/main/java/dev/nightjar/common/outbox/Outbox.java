package dev.nightjar.common.outbox;

import dev.nightjar.common.jdbc.SqlValues;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.Topic;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
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
            params.put(name + "_trace" + i, SqlValues.text(event.traceparent()));
            params.put(name + "_payload" + i, EventCodec.encode(event));
        }
        return sql.append(" RETURNING 1)").toString();
    }

    /** Appends the event inside the caller's current transaction on {@code jdbc}'s database. */
    public static <P> void append(JdbcClient jdbc, Topic<P> topic, EventEnvelope<P> envelope) {
        jdbc.sql(INSERT).paramSource(parameters(topic, envelope)).update();
    }

    /**
     * Appends many events inside the caller's current transaction as JDBC batches of at most
     * {@code BATCH_ROWS} rows: for the thousands of events one state change can announce (a settlement batch),
     * where {@link #appendAfter} would exceed PostgreSQL's limit on bind parameters.
     */
    public static <P> void appendAll(NamedParameterJdbcOperations jdbc, Topic<P> topic, List<EventEnvelope<P>> events) {
        for (int from = 0; from < events.size(); from += BATCH_ROWS) {
            List<EventEnvelope<P>> chunk = events.subList(from, Math.min(events.size(), from + BATCH_ROWS));
            jdbc.batchUpdate(INSERT, chunk.stream().map(event -> parameters(topic, event)).toArray(SqlParameterSource[]::new));
        }
    }

    private static final int BATCH_ROWS = 1_000;

    private static <P> SqlParameterSource parameters(Topic<P> topic, EventEnvelope<P> envelope) {
        return new MapSqlParameterSource()
                .addValue("topic", topic.name())
                .addValue("key", envelope.key())
                .addValue("eventId", envelope.eventId())
                .addValue("type", envelope.type())
                .addValue("traceparent", envelope.traceparent(), java.sql.Types.VARCHAR)
                .addValue("payload", EventCodec.encode(envelope));
    }
}
