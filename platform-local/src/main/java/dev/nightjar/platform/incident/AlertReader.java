package dev.nightjar.platform.incident;

import dev.nightjar.platform.observe.PrometheusApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The alerts that fired in the window, from Prometheus's {@code ALERTS} series: one entry when an alert starts
 * firing and one when it resolves, with its labels.
 */
final class AlertReader {

    static final String QUERY = "ALERTS{alertstate=\"firing\"}";
    /** Has a sample wherever Prometheus scraped anything: where it has none, no alert can be known. */
    static final String EVALUATED = "count(up)";
    static final Duration MIN_STEP = Duration.ofSeconds(15);
    /** Prometheus refuses a range query of more than 11,000 points per series. */
    private static final long MAX_POINTS = 10_000;
    private static final Set<String> NOT_SHOWN = Set.of("__name__", "alertname", "alertstate", "severity");

    private AlertReader() {
    }

    static Readout read(PrometheusApi prometheus, TimeWindow window) {
        Duration step = step(window);
        List<PrometheusApi.RangeSeries> alerts = prometheus.queryRange(QUERY, window.from(), window.to(), step);
        List<Instant> evaluated = prometheus.queryRange(EVALUATED, window.from(), window.to(), step).stream()
                .flatMap(series -> series.times().stream()).toList();
        return Readout.all(Entry.Source.ALERT, entries(alerts, evaluated, window, step));
    }

    /** 15 s, or longer where the window would need more points than Prometheus gives. */
    static Duration step(TimeWindow window) {
        Duration needed = Duration.ofSeconds(Math.ceilDiv(window.length().toSeconds(), MAX_POINTS));
        return needed.compareTo(MIN_STEP) > 0 ? needed : MIN_STEP;
    }

    /**
     * Each series' firing intervals as entries, and an entry for each stretch in which Prometheus itself has no
     * samples ({@code evaluated} are the instants it has some). Samples of an alert further apart than one and a
     * half steps belong to different intervals, unless Prometheus had no samples in between either: then
     * nothing says the alert stopped. An interval whose last sample is less than a step before the window's end
     * is still firing, so it has no resolved entry.
     */
    static List<Entry> entries(List<PrometheusApi.RangeSeries> series, List<Instant> evaluated, TimeWindow window,
                               Duration step) {
        long gapMillis = step.toMillis() * 3 / 2;
        List<Instant> known = evaluated.stream().sorted().toList();
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < known.size(); i++) {
            if (known.get(i).toEpochMilli() - known.get(i - 1).toEpochMilli() > gapMillis) {
                entries.add(new Entry(known.get(i - 1), Entry.Source.ALERT, "prometheus", null, "no samples in Prometheus until "
                        + known.get(i) + " (Prometheus down?): alerts in between unknown", null, Map.of("until", known.get(i).toString())));
            }
        }
        for (PrometheusApi.RangeSeries one : series) {
            List<Instant> times = one.times().stream().sorted().toList();
            int start = 0;
            for (int i = 1; i <= times.size(); i++) {
                if (i == times.size() || (times.get(i).toEpochMilli() - times.get(i - 1).toEpochMilli() > gapMillis
                        && evaluatedBetween(known, times.get(i - 1), times.get(i)))) {
                    interval(one.labels(), times.get(start), times.get(i - 1), window, step, entries);
                    start = i;
                }
            }
        }
        return entries;
    }

    private static boolean evaluatedBetween(List<Instant> known, Instant after, Instant before) {
        return known.stream().anyMatch(at -> at.isAfter(after) && at.isBefore(before));
    }

    private static void interval(Map<String, String> labels, Instant first, Instant last, TimeWindow window, Duration step,
                                 List<Entry> entries) {
        String name = labels.getOrDefault("alertname", "?");
        String component = labels.getOrDefault("service", labels.getOrDefault("job", "prometheus"));
        String severity = labels.get("severity");
        String shown = shownLabels(labels);
        Instant resolved = last.plus(step);
        boolean stillFiring = resolved.isAfter(window.to());
        String firing = "alert " + name + " firing" + shown
                + (first.isBefore(window.from().plus(step)) ? ", already when the window opens" : "")
                + (stillFiring ? ", still at its end" : "");
        entries.add(new Entry(first, Entry.Source.ALERT, component, severity, firing, null, labels));
        if (!stillFiring) {
            entries.add(new Entry(resolved, Entry.Source.ALERT, component, severity, "alert " + name + " resolved" + shown,
                    null, labels));
        }
    }

    private static String shownLabels(Map<String, String> labels) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(labels).forEach((key, value) -> {
            if (!NOT_SHOWN.contains(key)) {
                text.append(text.isEmpty() ? " (" : ", ").append(key).append('=').append(value);
            }
        });
        return text.isEmpty() ? "" : text.append(')').toString();
    }
}
