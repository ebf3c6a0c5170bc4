package dev.nightjar.platform.bench;

import dev.nightjar.platform.observe.PrometheusApi;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each service's JIT compilers had spent, in milliseconds of compile time by Prometheus instance
 * ({@code jvm_compilation_time_ms_total}, which every service exports). Read from the local Prometheus, so a
 * reading is as old as its last scrape (5 s at most). Across a window it shows whether the services were still
 * compiling: a window's CPU per payment falls for as long as they are.
 */
record CompileTime(Map<String, Double> millisByInstance) {

    static final String QUERY = "sum by (instance) (jvm_compilation_time_ms_total)";

    CompileTime {
        millisByInstance = Map.copyOf(millisByInstance);
    }

    /** The reading now; empty when Prometheus cannot be asked or knows no service yet. */
    static Optional<CompileTime> read(PrometheusApi prometheus) {
        try {
            Map<String, Double> millis = prometheus.valuesBy(QUERY, "instance");
            return millis.isEmpty() ? Optional.empty() : Optional.of(new CompileTime(millis));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Seconds of compile time per instance from {@code start} to {@code end}, by name. An instance in only one of the
     * readings is left out; one whose counter went down was restarted, and counts what it compiled since.
     */
    static Map<String, Double> secondsBetween(CompileTime start, CompileTime end) {
        Map<String, Double> seconds = new TreeMap<>();
        end.millisByInstance().forEach((instance, endMillis) -> {
            Double startMillis = start.millisByInstance().get(instance);
            if (startMillis != null) {
                seconds.put(instance, (endMillis >= startMillis ? endMillis - startMillis : endMillis) / 1000);
            }
        });
        return seconds;
    }
}
