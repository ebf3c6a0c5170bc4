package dev.nightjar.forecaster.bench;

import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.SyntheticTraffic.Surge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Week five's traffic replayed through a simulated HorizontalPodAutoscaler in 15-second steps, once on CPU alone and
 * once per horizon on CPU plus the forecast (the chart's External metric), with the chart's scaling behaviour.
 *
 * <p>Assumptions: a pod serves {@value #POD_CAPACITY} requests/s at 100 % CPU and CPU follows load linearly
 * (saturating at 100 %); the CPU target is 60 %, so the forecast's per-pod target is 60 requests/s; the HPA syncs
 * every 15 s and sees CPU averaged over the minute ending 15 s earlier (kubelet and metrics-server); its tolerance
 * is 10 %; a new pod is ready 60 s after the HPA asks for it; scale-up adds at most 2 pods a minute, scale-down
 * takes the highest recommendation of the last 5 minutes and removes at most 1 pod every 2 minutes (the chart's
 * {@code behavior}); the forecaster publishes at each minute plus 5 s and Prometheus scrapes it within 30 s, so the
 * HPA sees a forecast 35 s after the minute it was made at.
 */
final class AutoscalerReplay {

    static final double POD_CAPACITY = 100;
    static final double TARGET_UTILISATION = 0.6;
    static final double TARGET_PER_POD = POD_CAPACITY * TARGET_UTILISATION;
    static final int MIN_REPLICAS = 3;
    static final int MAX_REPLICAS = 30;
    static final int TICK_SECONDS = 15;
    static final int POD_START_SECONDS = 60;
    static final double TOLERANCE = 0.1;
    static final int CPU_WINDOW_TICKS = 4;
    static final int CPU_DELAY_TICKS = 1;
    static final int FORECAST_VISIBLE_SECONDS = 35;
    static final int SCALE_UP_PODS = 2;
    static final int SCALE_UP_PERIOD_SECONDS = 60;
    static final int SCALE_DOWN_WINDOW_SECONDS = 300;
    static final int SCALE_DOWN_PODS = 1;
    static final int SCALE_DOWN_PERIOD_SECONDS = 120;
    /** A threshold crossing counts when the noise-free load was below it for the hour before. */
    static final int QUIET_MINUTES_BEFORE = 60;
    static final int LEAD_CAP_MINUTES = 120;

    private AutoscalerReplay() {
    }

    /** One replay: per tick, the load, the pods asked for and the pods ready. */
    record Replay(String name, double[] load, int[] spec, int[] ready) {

        double minutesWhere(java.util.function.IntPredicate tick) {
            int count = 0;
            for (int i = 0; i < load.length; i++) {
                count += tick.test(i) ? 1 : 0;
            }
            return count * TICK_SECONDS / 60.0;
        }

        double overTargetMinutes(int fromTick, int toTick) {
            return minutesWhere(i -> i >= fromTick && i < toTick && load[i] > ready[i] * TARGET_PER_POD);
        }

        double saturatedMinutes(int fromTick, int toTick) {
            return minutesWhere(i -> i >= fromTick && i < toTick && load[i] > ready[i] * POD_CAPACITY);
        }

        double podHours() {
            double sum = 0;
            for (int pods : spec) {
                sum += pods;
            }
            return sum * TICK_SECONDS / 3600.0;
        }
    }

    /** A threshold the noise-free load crosses upwards: the minute, and the replicas needed from then on. */
    record Crossing(int minute, int replicasNeeded, boolean duringSurge) {
    }

    static String report(long start, double[] rates, int testStart, double[][] forecasts, SyntheticTraffic traffic, Surge surge) {
        List<Replay> replays = new ArrayList<>();
        replays.add(replay("CPU only", rates, testStart, null, 0));
        for (int h = 0; h < ForecastEvaluation.HORIZONS.length; h++) {
            int horizon = ForecastEvaluation.HORIZONS[h];
            replays.add(replay("CPU + forecast " + horizon + " min", rates, testStart, forecasts[h], horizon));
        }
        List<Crossing> crossings = crossings(start, rates.length - testStart, testStart, traffic, surge);
        int surgeTick = (int) (surge.startMinute() - start - testStart) * 60 / TICK_SECONDS;
        int surgeEndTick = (int) (surge.endMinute() - start - testStart) * 60 / TICK_SECONDS;
        int ticks = replays.getFirst().load().length;

        StringBuilder out = new StringBuilder();
        long ordinary = crossings.stream().filter(c -> !c.duringSurge()).count();
        long duringSurge = crossings.size() - ordinary;
        out.append(String.format(Locale.ROOT, "Scale-up thresholds crossed by the noise-free load in week 5: %d on the daily ramps, "
                + "%d during the surge. Lead = minutes the needed pod was asked for / ready before the load crossed "
                + "its threshold (negative: after); earlier = the same event's ready lead minus CPU only's. "
                + "Median [10th percentile].%n%n", ordinary, duringSurge));
        out.append("| autoscaler | asked, ramps | ready, ramps | earlier than CPU only, ramps | asked, surge | ready, surge "
                + "| minutes over 60 % CPU (week / surge) | minutes saturated (week / surge) | pod-hours |\n");
        out.append("|---|---|---|---|---|---|---|---|---|\n");
        Replay cpuOnly = replays.getFirst();
        for (Replay replay : replays) {
            List<Double> earlier = new ArrayList<>();
            List<Double> askedOrdinary = new ArrayList<>();
            List<Double> readyOrdinary = new ArrayList<>();
            List<Double> askedSurge = new ArrayList<>();
            List<Double> readySurge = new ArrayList<>();
            for (Crossing crossing : crossings) {
                double asked = leadMinutes(replay.spec(), crossing);
                double ready = leadMinutes(replay.ready(), crossing);
                (crossing.duringSurge() ? askedSurge : askedOrdinary).add(asked);
                (crossing.duringSurge() ? readySurge : readyOrdinary).add(ready);
                if (!crossing.duringSurge()) {
                    earlier.add(ready - leadMinutes(cpuOnly.ready(), crossing));
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.0f / %.0f | %.0f / %.0f | %.0f |%n", replay.name(),
                    summary(askedOrdinary), summary(readyOrdinary), summary(earlier), summary(askedSurge), summary(readySurge),
                    replay.overTargetMinutes(0, ticks), replay.overTargetMinutes(surgeTick, surgeEndTick),
                    replay.saturatedMinutes(0, ticks), replay.saturatedMinutes(surgeTick, surgeEndTick), replay.podHours()));
        }
        return out.toString();
    }

    static Replay replay(String name, double[] rates, int testStart, double[] forecast, int horizon) {
        int minutes = rates.length - testStart;
        int ticksPerMinute = 60 / TICK_SECONDS;
        int ticks = minutes * ticksPerMinute;
        double[] load = new double[ticks];
        int[] spec = new int[ticks];
        int[] ready = new int[ticks];
        double[] utilisation = new double[ticks];
        // Pods by the second they are (or were) ready; starts from what the first minute's load needs.
        List<Integer> readyAt = new ArrayList<>();
        int initial = clamp((int) Math.ceil(rates[testStart] / TARGET_PER_POD));
        for (int i = 0; i < initial; i++) {
            readyAt.add(-POD_START_SECONDS);
        }
        List<Integer> addedAt = new ArrayList<>();
        List<Integer> removedAt = new ArrayList<>();
        int[] recommendation = new int[ticks];
        for (int tick = 0; tick < ticks; tick++) {
            int second = tick * TICK_SECONDS;
            load[tick] = rates[testStart + tick / ticksPerMinute];
            int readyNow = (int) readyAt.stream().filter(at -> at <= second).count();
            ready[tick] = readyNow;
            utilisation[tick] = Math.min(1, load[tick] / (Math.max(1, readyNow) * POD_CAPACITY));
            int current = readyAt.size();

            int desired = current;
            if (tick >= CPU_WINDOW_TICKS + CPU_DELAY_TICKS) {
                double cpu = 0;
                for (int i = tick - CPU_DELAY_TICKS - CPU_WINDOW_TICKS + 1; i <= tick - CPU_DELAY_TICKS; i++) {
                    cpu += utilisation[i] / CPU_WINDOW_TICKS;
                }
                double ratio = cpu / TARGET_UTILISATION;
                // Pods still starting count as using nothing (the HPA's conservative scale-up).
                desired = Math.abs(ratio * readyNow / current - 1) <= TOLERANCE ? current : (int) Math.ceil(readyNow * ratio);
            }
            if (forecast != null) {
                int issuedAt = Math.floorDiv(second - FORECAST_VISIBLE_SECONDS, 60);
                int target = issuedAt - 1 + horizon;
                if (target >= 0 && target < forecast.length) {
                    double ratio = forecast[target] / (current * TARGET_PER_POD);
                    int fromForecast = Math.abs(ratio - 1) <= TOLERANCE ? current : (int) Math.ceil(forecast[target] / TARGET_PER_POD);
                    desired = Math.max(desired, fromForecast);
                }
            }
            desired = clamp(desired);
            recommendation[tick] = desired;

            if (desired > current) {
                long recentlyAdded = addedAt.stream().filter(at -> at > second - SCALE_UP_PERIOD_SECONDS).count();
                int add = (int) Math.min(desired - current, Math.max(0, SCALE_UP_PODS - recentlyAdded));
                for (int i = 0; i < add; i++) {
                    readyAt.add(second + POD_START_SECONDS);
                    addedAt.add(second);
                }
            } else {
                int stabilised = desired;
                for (int i = Math.max(0, tick - SCALE_DOWN_WINDOW_SECONDS / TICK_SECONDS + 1); i <= tick; i++) {
                    stabilised = Math.max(stabilised, recommendation[i]);
                }
                long recentlyRemoved = removedAt.stream().filter(at -> at > second - SCALE_DOWN_PERIOD_SECONDS).count();
                int remove = (int) Math.min(current - stabilised, Math.max(0, SCALE_DOWN_PODS - recentlyRemoved));
                for (int i = 0; i < remove; i++) {
                    // The newest pod goes first (a starting one, if any).
                    readyAt.remove(readyAt.size() - 1);
                    removedAt.add(second);
                }
            }
            spec[tick] = readyAt.size();
        }
        return new Replay(name, load, spec, ready);
    }

    /**
     * Upward crossings of each replica threshold by the noise-free load: past k pods at their target (k x 60
     * requests/s) the (k+1)-th pod is needed. Counted when the load was below it for the hour before and goes on past
     * the HPA's tolerance (k x 66) within the hour after, so that an HPA must act on it at all.
     */
    static List<Crossing> crossings(long start, int minutes, int testStart, SyntheticTraffic traffic, Surge surge) {
        double[] expected = new double[minutes];
        for (int m = 0; m < minutes; m++) {
            expected[m] = traffic.expectedRate(start + testStart + m);
        }
        List<Crossing> crossings = new ArrayList<>();
        for (int pods = MIN_REPLICAS; pods < MAX_REPLICAS; pods++) {
            double threshold = pods * TARGET_PER_POD;
            for (int m = QUIET_MINUTES_BEFORE; m < minutes - QUIET_MINUTES_BEFORE; m++) {
                if (expected[m] > threshold && expected[m - 1] <= threshold) {
                    boolean quietBefore = true;
                    for (int back = m - QUIET_MINUTES_BEFORE; back < m; back++) {
                        quietBefore &= expected[back] <= threshold;
                    }
                    boolean actionable = false;
                    for (int ahead = m; ahead < m + QUIET_MINUTES_BEFORE; ahead++) {
                        actionable |= expected[ahead] > threshold * (1 + TOLERANCE);
                    }
                    long absolute = start + testStart + m;
                    boolean inSurge = absolute >= surge.startMinute() && absolute < surge.endMinute();
                    if (quietBefore && actionable) {
                        crossings.add(new Crossing(m, pods + 1, inSurge));
                    }
                }
            }
        }
        return crossings;
    }

    /**
     * Minutes before the crossing since when {@code pods} has held at least the replicas needed (capped), or minus
     * the minutes after it until it does.
     */
    static double leadMinutes(int[] pods, Crossing crossing) {
        int ticksPerMinute = 60 / TICK_SECONDS;
        int at = crossing.minute() * ticksPerMinute;
        int cap = LEAD_CAP_MINUTES * ticksPerMinute;
        if (pods[at] >= crossing.replicasNeeded()) {
            int since = at;
            while (since > 0 && at - since < cap && pods[since - 1] >= crossing.replicasNeeded()) {
                since--;
            }
            return (at - since) / (double) ticksPerMinute;
        }
        int until = at;
        while (until < pods.length - 1 && until - at < cap && pods[until] < crossing.replicasNeeded()) {
            until++;
        }
        return -(until - at) / (double) ticksPerMinute;
    }

    private static String summary(List<Double> leads) {
        if (leads.isEmpty()) {
            return "-";
        }
        List<Double> sorted = leads.stream().sorted().toList();
        return String.format(Locale.ROOT, "%+.1f [%+.1f]", sorted.get(sorted.size() / 2), sorted.get(sorted.size() / 10));
    }

    private static int clamp(int replicas) {
        return Math.max(MIN_REPLICAS, Math.min(MAX_REPLICAS, replicas));
    }
}
