package dev.nightjar.risk.model;

import dev.nightjar.risk.features.FeatureDelta;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.features.Features;
import dev.nightjar.risk.model.TrafficGenerator.GeneratedPayment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays generated payments through a {@link FeatureStore} in time order, as the service sees them: each
 * payment is scored on the features as they stand just before it, then its own event updates them (its
 * decline too, if it was declined). The deltas are the ones the Kafka consumer produces, so the model learns
 * from exactly the features it will be given. First sightings of cards are archived for good, as the
 * database keeps them, while the store forgets idle cards as it does in service.
 */
public final class FeatureReplay {

    /** Limits that never bind on generated data: nothing is dropped for want of room. */
    public static final FeatureStore.Limits UNBOUNDED = new FeatureStore.Limits(5_000_000, 100_000, 5_000_000);

    /** The rows scored during the replay, with what the generator knows about each. */
    public record Dataset(double[][] rows, boolean[] labels, boolean[] fraud, long[] times,
                          TrafficGenerator.Pattern[] patterns) {

        public int size() {
            return rows.length;
        }
    }

    private final FeatureStore store;
    private final Map<String, Long> firstSeenArchive = new HashMap<>();
    private long lastMaintainedMinute = Long.MIN_VALUE;

    public FeatureReplay(FeatureStore store) {
        this.store = store;
    }

    public FeatureStore store() {
        return store;
    }

    /** Replays every payment; only payments at or after {@code scoreFromMillis} are scored and returned. */
    public Dataset replay(List<GeneratedPayment> payments, long scoreFromMillis) {
        List<double[]> rows = new ArrayList<>();
        List<GeneratedPayment> scored = new ArrayList<>();
        List<FeatureDelta> deltas = new ArrayList<>();
        for (int i = 0; i < payments.size(); i++) {
            GeneratedPayment payment = payments.get(i);
            if (payment.timeMillis() >= scoreFromMillis) {
                double[] row = new double[Features.COUNT];
                Features.extract(store, payment.request("pay_gen_" + i), payment.timeMillis(), false, row);
                rows.add(row);
                scored.add(payment);
            }
            observe(payment, deltas);
        }
        int n = scored.size();
        boolean[] labels = new boolean[n];
        boolean[] fraud = new boolean[n];
        long[] times = new long[n];
        TrafficGenerator.Pattern[] patterns = new TrafficGenerator.Pattern[n];
        for (int i = 0; i < n; i++) {
            labels[i] = scored.get(i).label();
            fraud[i] = scored.get(i).fraud();
            times[i] = scored.get(i).timeMillis();
            patterns[i] = scored.get(i).pattern();
        }
        return new Dataset(rows.toArray(double[][]::new), labels, fraud, times, patterns);
    }

    /** Applies one payment's events to the store, as the Kafka consumer would. */
    public void observe(GeneratedPayment payment, List<FeatureDelta> scratch) {
        long minute = Math.floorDiv(payment.timeMillis(), 60_000L);
        if (minute - lastMaintainedMinute >= 60) {
            store.maintain(minute);
            lastMaintainedMinute = minute;
        }
        scratch.clear();
        FeatureDelta.attempt(payment.merchantId(), payment.fingerprint(), payment.customerIp(), payment.amountMinor(),
                payment.currency(), minute, scratch);
        if (payment.declined()) {
            FeatureDelta.decline(payment.merchantId(), payment.fingerprint(), minute, scratch);
        }
        for (FeatureDelta delta : scratch) {
            if (delta instanceof FeatureDelta.FirstSeen first) {
                long archived = firstSeenArchive.merge(first.merchantId() + "|" + first.fingerprint(), first.minute(), Math::min);
                store.apply(new FeatureDelta.FirstSeen(first.merchantId(), first.fingerprint(), archived));
            } else {
                store.apply(delta);
            }
        }
    }
}
