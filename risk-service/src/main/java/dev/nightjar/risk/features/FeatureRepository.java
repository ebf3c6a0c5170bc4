package dev.nightjar.risk.features;

import dev.nightjar.common.jdbc.SqlArrays;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The feature state in PostgreSQL. Writes take a batch of {@link FeatureDelta}s, merged by key first so each
 * row is written once per batch (in key order, so concurrent writers lock rows in the same order), and are
 * meant to run in the transaction that marks the batch's events processed. Reading back the last day rebuilds
 * the in-memory store after a restart.
 */
public final class FeatureRepository {

    /** Dedupe rows are kept this long; a redelivery older than that is beyond the day window anyway. */
    static final long DEDUPE_RETENTION_HOURS = 48;

    private final JdbcClient jdbc;

    public FeatureRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code eventIds} as processed by {@code consumer}; returns those it had not processed before. */
    public Set<String> markProcessed(String consumer, Collection<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        INSERT INTO processed_events (consumer, event_id)
                        SELECT :consumer, unnest(CAST(:ids AS text[]))
                        ON CONFLICT DO NOTHING RETURNING event_id""")
                .param("consumer", consumer).param("ids", SqlArrays.text(new java.util.TreeSet<>(eventIds)))
                .query(String.class).list());
    }

    /** Of {@code paymentIds}, those never counted as an attempt before; they are counted from now on. */
    public Set<String> firstAttempts(Collection<String> paymentIds) {
        if (paymentIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("""
                        INSERT INTO risk_payments_seen (payment_id)
                        SELECT unnest(CAST(:ids AS text[]))
                        ON CONFLICT DO NOTHING RETURNING payment_id""")
                .param("ids", SqlArrays.text(new java.util.TreeSet<>(paymentIds)))
                .query(String.class).list());
    }

    /**
     * Adds {@code deltas} to the stored state and returns what the in-memory store must apply: the same
     * changes, merged, with each card's first sighting as stored (an earlier one may have been on record).
     */
    public List<FeatureDelta> write(List<FeatureDelta> deltas) {
        Map<String, FeatureDelta.Bucket> buckets = new TreeMap<>();
        Map<String, FeatureDelta.Member> members = new TreeMap<>();
        Map<String, FeatureDelta.Amount> amounts = new TreeMap<>();
        Map<String, FeatureDelta.FirstSeen> firstSeen = new TreeMap<>();
        for (FeatureDelta delta : deltas) {
            switch (delta) {
                case FeatureDelta.Bucket b -> buckets.merge(b.kind().prefix + b.key() + "\u0000" + b.minute(), b,
                        (x, y) -> new FeatureDelta.Bucket(x.kind(), x.key(), x.minute(), x.payments() + y.payments(),
                                x.declines() + y.declines()));
                case FeatureDelta.Member m -> members.merge(m.kind().prefix + m.key() + "\u0000" + m.member(), m,
                        (x, y) -> x.minute() >= y.minute() ? x : y);
                case FeatureDelta.Amount a -> amounts.merge(a.merchantId() + "\u0000" + a.currency(), a,
                        (x, y) -> new FeatureDelta.Amount(x.merchantId(), x.currency(), x.count() + y.count(),
                                x.sum() + y.sum(), x.sumOfSquares() + y.sumOfSquares()));
                case FeatureDelta.FirstSeen f -> firstSeen.merge(f.merchantId() + "\u0000" + f.fingerprint(), f,
                        (x, y) -> x.minute() <= y.minute() ? x : y);
            }
        }
        List<FeatureDelta> stored = new ArrayList<>(buckets.size() + members.size() + amounts.size() + firstSeen.size());
        writeBuckets(buckets.values());
        stored.addAll(buckets.values());
        writeMembers(members.values());
        stored.addAll(members.values());
        writeAmounts(amounts.values());
        stored.addAll(amounts.values());
        stored.addAll(writeFirstSeen(firstSeen.values()));
        return stored;
    }

    private void writeBuckets(Collection<FeatureDelta.Bucket> buckets) {
        if (buckets.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO risk_feature_buckets AS b (feature_key, minute, payments, declines)
                        SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:minutes AS bigint[]),
                                             CAST(:payments AS integer[]), CAST(:declines AS integer[]))
                        ON CONFLICT (feature_key, minute) DO UPDATE
                        SET payments = b.payments + EXCLUDED.payments, declines = b.declines + EXCLUDED.declines""")
                .param("keys", SqlArrays.text(buckets.stream().map(b -> b.kind().prefix + b.key()).toList()))
                .param("minutes", SqlArrays.bigint(buckets.stream().map(FeatureDelta.Bucket::minute).toList()))
                .param("payments", SqlArrays.bigint(buckets.stream().map(b -> (long) b.payments()).toList()))
                .param("declines", SqlArrays.bigint(buckets.stream().map(b -> (long) b.declines()).toList()))
                .update();
    }

    private void writeMembers(Collection<FeatureDelta.Member> members) {
        if (members.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO risk_feature_members AS m (feature_key, member, last_minute)
                        SELECT * FROM unnest(CAST(:keys AS text[]), CAST(:members AS text[]), CAST(:minutes AS bigint[]))
                        ON CONFLICT (feature_key, member) DO UPDATE
                        SET last_minute = GREATEST(m.last_minute, EXCLUDED.last_minute)""")
                .param("keys", SqlArrays.text(members.stream().map(m -> m.kind().prefix + m.key()).toList()))
                .param("members", SqlArrays.text(members.stream().map(FeatureDelta.Member::member).toList()))
                .param("minutes", SqlArrays.bigint(members.stream().map(FeatureDelta.Member::minute).toList()))
                .update();
    }

    private void writeAmounts(Collection<FeatureDelta.Amount> amounts) {
        if (amounts.isEmpty()) {
            return;
        }
        jdbc.sql("""
                        INSERT INTO risk_merchant_amounts AS a (merchant_id, currency, observations, sum_log, sum_log_squared)
                        SELECT * FROM unnest(CAST(:merchants AS text[]), CAST(:currencies AS text[]),
                                             CAST(:counts AS bigint[]), CAST(:sums AS float8[]), CAST(:squares AS float8[]))
                        ON CONFLICT (merchant_id, currency) DO UPDATE
                        SET observations = a.observations + EXCLUDED.observations, sum_log = a.sum_log + EXCLUDED.sum_log,
                            sum_log_squared = a.sum_log_squared + EXCLUDED.sum_log_squared""")
                .param("merchants", SqlArrays.text(amounts.stream().map(FeatureDelta.Amount::merchantId).toList()))
                .param("currencies", SqlArrays.text(amounts.stream().map(FeatureDelta.Amount::currency).toList()))
                .param("counts", SqlArrays.bigint(amounts.stream().map(FeatureDelta.Amount::count).toList()))
                .param("sums", doubles(amounts.stream().map(FeatureDelta.Amount::sum).toList()))
                .param("squares", doubles(amounts.stream().map(FeatureDelta.Amount::sumOfSquares).toList()))
                .update();
    }

    /** Upserts first sightings, the earliest winning; returns each as stored. */
    private List<FeatureDelta.FirstSeen> writeFirstSeen(Collection<FeatureDelta.FirstSeen> firstSeen) {
        if (firstSeen.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                        INSERT INTO risk_card_first_seen AS f (merchant_id, fingerprint, first_minute)
                        SELECT * FROM unnest(CAST(:merchants AS text[]), CAST(:fingerprints AS text[]), CAST(:minutes AS bigint[]))
                        ON CONFLICT (merchant_id, fingerprint) DO UPDATE
                        SET first_minute = LEAST(f.first_minute, EXCLUDED.first_minute)
                        RETURNING merchant_id, fingerprint, first_minute""")
                .param("merchants", SqlArrays.text(firstSeen.stream().map(FeatureDelta.FirstSeen::merchantId).toList()))
                .param("fingerprints", SqlArrays.text(firstSeen.stream().map(FeatureDelta.FirstSeen::fingerprint).toList()))
                .param("minutes", SqlArrays.bigint(firstSeen.stream().map(FeatureDelta.FirstSeen::minute).toList()))
                .query((rs, n) -> new FeatureDelta.FirstSeen(rs.getString(1), rs.getString(2), rs.getLong(3)))
                .list();
    }

    /** Rebuilds {@code store} from the last day of stored state; returns how many rows were read. */
    public long loadInto(FeatureStore store, long nowMillis) {
        long from = Math.floorDiv(nowMillis, 60_000L) - PaymentEventDeltas.HORIZON_MINUTES;
        return load(store, jdbc.sql("SELECT feature_key, minute, payments, declines FROM risk_feature_buckets WHERE minute > :from")
                        .param("from", from),
                (rs, n) -> {
                    FeatureDelta.Kind kind = FeatureDelta.Kind.ofPrefixed(rs.getString(1));
                    return new FeatureDelta.Bucket(kind, kind.unprefixed(rs.getString(1)), rs.getLong(2), rs.getInt(3), rs.getInt(4));
                })
                + load(store, jdbc.sql("SELECT feature_key, member, last_minute FROM risk_feature_members WHERE last_minute > :from")
                        .param("from", from),
                (rs, n) -> {
                    FeatureDelta.Kind kind = FeatureDelta.Kind.ofPrefixed(rs.getString(1));
                    return new FeatureDelta.Member(kind, kind.unprefixed(rs.getString(1)), rs.getString(2), rs.getLong(3));
                })
                + load(store, jdbc.sql("SELECT merchant_id, currency, observations, sum_log, sum_log_squared FROM risk_merchant_amounts"),
                (rs, n) -> new FeatureDelta.Amount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4), rs.getDouble(5)))
                // first sightings of the cards just loaded, looked up by fingerprint (the key's first column), so
                // the cost follows the day's cards, not every card ever seen; others are looked up when they pay again
                + load(store, jdbc.sql("""
                                SELECT f.merchant_id, f.fingerprint, f.first_minute
                                FROM (SELECT DISTINCT substr(b.feature_key, 6) AS fingerprint FROM risk_feature_buckets b
                                      WHERE b.feature_key >= 'card:' AND b.feature_key < 'card;' AND b.minute > :from) day
                                JOIN risk_card_first_seen f ON f.fingerprint = day.fingerprint""")
                        .param("from", from),
                (rs, n) -> new FeatureDelta.FirstSeen(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    private static long load(FeatureStore store, JdbcClient.StatementSpec query, RowMapper<FeatureDelta> row) {
        long[] rows = {0};
        query.query(rs -> {
            store.apply(row.mapRow(rs, (int) rows[0]));
            rows[0]++;
        });
        return rows[0];
    }

    /** Deletes windows past the day and dedupe rows past their retention; returns the rows deleted. */
    public int purge(String consumer, long nowMillis) {
        long before = Math.floorDiv(nowMillis, 60_000L) - FeatureStore.IDLE_MINUTES;
        int deleted = jdbc.sql("DELETE FROM risk_feature_buckets WHERE minute < :before").param("before", before).update();
        deleted += jdbc.sql("DELETE FROM risk_feature_members WHERE last_minute < :before").param("before", before).update();
        deleted += jdbc.sql("DELETE FROM processed_events WHERE consumer = :consumer AND processed_at < now() - make_interval(hours => :hours)")
                .param("consumer", consumer).param("hours", (int) DEDUPE_RETENTION_HOURS).update();
        deleted += jdbc.sql("DELETE FROM risk_payments_seen WHERE seen_at < now() - make_interval(hours => :hours)")
                .param("hours", (int) DEDUPE_RETENTION_HOURS).update();
        return deleted;
    }

    private static String doubles(List<Double> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            double value = values.get(i);
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("not a finite number: " + value);
            }
            out.append(value);
        }
        return out.append('}').toString();
    }
}
