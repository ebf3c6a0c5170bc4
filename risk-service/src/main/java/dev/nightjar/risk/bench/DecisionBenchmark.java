package dev.nightjar.risk.bench;

import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.risk.decision.RiskEngine;
import dev.nightjar.risk.decision.RiskProperties;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.model.FeatureReplay;
import dev.nightjar.risk.model.RiskModel;
import dev.nightjar.risk.model.TrafficGenerator;
import dev.nightjar.risk.model.TrafficGenerator.GeneratedPayment;
import dev.nightjar.risk.model.TrainModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How long {@link RiskEngine#decide} takes with realistic feature state: a week of generated traffic is
 * replayed into a feature store held to the service's default limits, then the engine decides the last day's
 * payments over and over on one thread, each call timed on its own. Run it with {@code ./nightjar risk bench}.
 *
 * <pre>
 * --decisions N   timed decisions (default 1,000,000)
 * --warmup N      untimed decisions first, for the JIT (default 300,000)
 * --days N        days of traffic replayed into the store (default 7)
 * </pre>
 */
public final class DecisionBenchmark {

    private DecisionBenchmark() {
    }

    public static void main(String[] args) {
        int decisions = 1_000_000;
        int warmup = 300_000;
        int days = 7;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--decisions" -> decisions = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--days" -> days = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        TrafficGenerator.Settings defaults = TrafficGenerator.Settings.defaults(TrainModel.DEFAULT_SEED);
        List<GeneratedPayment> payments = TrafficGenerator.generate(new TrafficGenerator.Settings(defaults.seed(),
                defaults.start(), days, defaults.merchants(), defaults.fraudLabelNoise(), defaults.legitimateLabelNoise()));
        RiskProperties properties = RiskProperties.defaults();
        RiskProperties.FeatureLimits limits = properties.features();
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(limits.maxCards(), limits.maxMerchants(), limits.maxIps()));
        FeatureReplay replay = new FeatureReplay(store);
        long now = payments.get(payments.size() - 1).timeMillis();
        List<DecisionRequest> requests = new ArrayList<>();
        List<dev.nightjar.risk.features.FeatureDelta> scratch = new ArrayList<>();
        for (int i = 0; i < payments.size(); i++) {
            GeneratedPayment payment = payments.get(i);
            replay.observe(payment, scratch);
            if (payment.timeMillis() > now - 86_400_000L) {
                requests.add(payment.request("pay_bench_" + i));
            }
        }
        RiskEngine engine = new RiskEngine(properties, RiskModel.fromClasspath(), store, () -> now);
        System.out.printf("feature store after %d days (%,d payments): %,d cards, %,d merchants, %,d IP addresses; "
                        + "deciding %,d distinct payments of the last day in turn%n",
                days, payments.size(), store.cardCount(), store.merchantCount(), store.ipCount(), requests.size());

        long flagged = 0;
        for (int i = 0; i < warmup; i++) {
            flagged += engine.decide(requests.get(i % requests.size()), now).score() >= 65 ? 1 : 0;
        }
        long[] nanos = new long[decisions];
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
        long started = System.nanoTime();
        for (int i = 0; i < decisions; i++) {
            DecisionRequest request = requests.get(i % requests.size());
            long t0 = System.nanoTime();
            Decision decision = engine.decide(request, now);
            nanos[i] = System.nanoTime() - t0;
            flagged += decision.score() >= 65 ? 1 : 0;
        }
        long elapsed = System.nanoTime() - started;
        long allocated = threads.getCurrentThreadAllocatedBytes() - allocatedBefore;
        Arrays.sort(nanos);
        System.out.printf("decide() over %,d decisions on one thread (after %,d warm-up):%n", decisions, warmup);
        System.out.printf("  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", micros(nanos, 0.50), micros(nanos, 0.90),
                micros(nanos, 0.99), micros(nanos, 0.999), format(nanos[nanos.length - 1]));
        System.out.printf("  %,.0f decisions/s; %,d bytes allocated per decision (the answer and its reasons included); "
                + "%,d scored 65 or more%n", decisions / (elapsed / 1e9), allocated / decisions, flagged);
    }

    private static String micros(long[] sorted, double quantile) {
        return format(sorted[(int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1)]);
    }

    private static String format(long nanos) {
        return nanos < 1_000_000 ? String.format("%.1f µs", nanos / 1e3) : String.format("%.2f ms", nanos / 1e6);
    }
}
