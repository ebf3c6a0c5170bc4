package dev.nightjar.platform.seed;

import dev.nightjar.contracts.event.EventType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * risk-service's stored feature state after the seeded history, as its payment-events consumer would have left
 * it (rules mirrored from its {@code FeatureDelta}, {@code PaymentEventDeltas} and {@code FeatureRepository}):
 * per-minute payment and decline buckets of cards, merchants and IP addresses, and the members seen, for the
 * last 25 hours (older ones are purged); the log-amount sums per merchant and currency and each card's first
 * sighting at a merchant over the whole history; the payments counted in the last 48 hours. risk-service
 * reads this back (the last day) when it starts.
 */
final class RiskState {

    /** {@code FeatureStore.IDLE_MINUTES}: buckets and members older than this are purged. */
    static final long KEPT_MINUTES = 25 * 60;
    /** {@code FeatureRepository.DEDUPE_RETENTION_HOURS}: counted payments are remembered this long. */
    static final Duration SEEN_KEPT = Duration.ofHours(48);
    /** {@code ReferenceRates}: euros per major unit of the seeded currencies. */
    private static final Map<String, Double> EUR_PER_MAJOR_UNIT = Map.of("EUR", 1.0, "USD", 0.92, "GBP", 1.17);

    private record Bucket(String key, long minute) {
    }

    /** Two texts: a feature key and a member, a merchant and a currency, a merchant and a fingerprint. */
    private record Pair(String first, String second) {
    }

    private final long untilMinute;
    private final Instant seenFrom;
    private final Map<Bucket, int[]> buckets = new HashMap<>();
    private final Map<Pair, Long> members = new HashMap<>();
    private final Map<Pair, double[]> amounts = new HashMap<>();
    private final Map<Pair, Long> firstSeen = new HashMap<>();
    private final List<String> seenIds = new ArrayList<>();
    private final List<Instant> seenAt = new ArrayList<>();

    RiskState(Instant until) {
        this.untilMinute = Math.floorDiv(until.toEpochMilli(), 60_000L);
        this.seenFrom = until.minus(SEEN_KEPT);
    }

    void add(SeedPayment payment) {
        String merchant = payment.merchant().id();
        String card = payment.card().fingerprint();
        String ip = payment.risk().customerIp();
        long minute = minute(payment.createdAt());
        double logAmount = Math.log1p(payment.amountMinor() / 100.0 * EUR_PER_MAJOR_UNIT.get(payment.currency()));
        double[] sums = amounts.computeIfAbsent(new Pair(merchant, payment.currency()), pair -> new double[3]);
        sums[0]++;
        sums[1] += logAmount;
        sums[2] += logAmount * logAmount;
        firstSeen.merge(new Pair(merchant, card), minute, Math::min);
        if (!payment.createdAt().isBefore(seenFrom)) {
            seenIds.add(payment.id());
            seenAt.add(payment.createdAt());
        }
        if (minute >= untilMinute - KEPT_MINUTES) {
            count("merchant:" + merchant, minute, 0);
            count("card:" + card, minute, 0);
            count("ip:" + ip, minute, 0);
            members.merge(new Pair("card:" + card, merchant), minute, Math::max);
            members.merge(new Pair("ip:" + ip, card), minute, Math::max);
        }
        for (SeedPayment.Event event : payment.events()) {
            long declined = minute(event.at());
            if (event.type() == EventType.PAYMENT_DECLINED && declined >= untilMinute - KEPT_MINUTES) {
                count("merchant:" + merchant, declined, 1);
                count("card:" + card, declined, 1);
            }
        }
    }

    private void count(String key, long minute, int slot) {
        buckets.computeIfAbsent(new Bucket(key, minute), bucket -> new int[2])[slot]++;
    }

    private static long minute(Instant at) {
        return Math.floorDiv(at.toEpochMilli(), 60_000L);
    }

    /** Adds the state to what risk-service stored, as its repository does (sums added, first sightings the earliest). */
    long write(Connection risk) throws SQLException {
        long rows = 0;
        rows += upsert(risk, """
                INSERT INTO risk_feature_buckets AS b (feature_key, minute, payments, declines)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS integer[]), CAST(? AS integer[]))
                ON CONFLICT (feature_key, minute) DO UPDATE
                SET payments = b.payments + EXCLUDED.payments, declines = b.declines + EXCLUDED.declines""",
                new ArrayList<>(buckets.entrySet()), (entry, columns) -> {
                    columns.get(0).add(entry.getKey().key());
                    columns.get(1).add(entry.getKey().minute());
                    columns.get(2).add(entry.getValue()[0]);
                    columns.get(3).add(entry.getValue()[1]);
                }, "text", "bigint", "integer", "integer");
        rows += upsertMinutes(risk, """
                INSERT INTO risk_feature_members AS m (feature_key, member, last_minute)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]))
                ON CONFLICT (feature_key, member) DO UPDATE SET last_minute = GREATEST(m.last_minute, EXCLUDED.last_minute)""",
                members);
        rows += upsert(risk, """
                INSERT INTO risk_merchant_amounts AS a (merchant_id, currency, observations, sum_log, sum_log_squared)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]), CAST(? AS float8[]),
                                     CAST(? AS float8[]))
                ON CONFLICT (merchant_id, currency) DO UPDATE
                SET observations = a.observations + EXCLUDED.observations, sum_log = a.sum_log + EXCLUDED.sum_log,
                    sum_log_squared = a.sum_log_squared + EXCLUDED.sum_log_squared""",
                new ArrayList<>(amounts.entrySet()), (entry, columns) -> {
                    columns.get(0).add(entry.getKey().first());
                    columns.get(1).add(entry.getKey().second());
                    columns.get(2).add((long) entry.getValue()[0]);
                    columns.get(3).add(entry.getValue()[1]);
                    columns.get(4).add(entry.getValue()[2]);
                }, "text", "text", "bigint", "float8", "float8");
        rows += upsertMinutes(risk, """
                INSERT INTO risk_card_first_seen AS f (merchant_id, fingerprint, first_minute)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS bigint[]))
                ON CONFLICT (merchant_id, fingerprint) DO UPDATE SET first_minute = LEAST(f.first_minute, EXCLUDED.first_minute)""",
                firstSeen);
        List<Integer> seen = new ArrayList<>(seenIds.size());
        for (int i = 0; i < seenIds.size(); i++) {
            seen.add(i);
        }
        rows += upsert(risk, """
                INSERT INTO risk_payments_seen (payment_id, seen_at)
                SELECT * FROM unnest(CAST(? AS text[]), CAST(CAST(? AS text[]) AS timestamptz[])) ON CONFLICT DO NOTHING""",
                seen, (i, columns) -> {
                    columns.get(0).add(seenIds.get(i));
                    columns.get(1).add(seenAt.get(i).toString());
                }, "text", "text");
        return rows;
    }

    private static long upsertMinutes(Connection risk, String sql, Map<Pair, Long> minutes) throws SQLException {
        return upsert(risk, sql, new ArrayList<>(minutes.entrySet()), (entry, columns) -> {
            columns.get(0).add(entry.getKey().first());
            columns.get(1).add(entry.getKey().second());
            columns.get(2).add(entry.getValue());
        }, "text", "text", "bigint");
    }

    private static <T> long upsert(Connection connection, String sql, List<T> rows, Unnest.Columns<T> columns,
                                   String... types) throws SQLException {
        long written = Unnest.run(connection, sql, rows, columns, types);
        connection.commit();
        return written;
    }
}
