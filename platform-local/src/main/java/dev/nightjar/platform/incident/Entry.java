package dev.nightjar.platform.incident;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One thing that happened during an incident, from whichever source saw it: a log line, a payment event, an
 * alert firing or resolving, an audit record, a trace.
 *
 * @param component the service (or Prometheus, for an alert without one) it happened at
 * @param level     a log line's level; null for the other sources
 * @param traceId   the trace it belongs to, when known
 * @param details   source-specific fields for tools (logger, event id, alert labels...), never card data
 */
public record Entry(Instant at, Source source, String component, String level, String summary, String traceId,
                    Map<String, String> details) {

    /** A summary's length at most: a log message can be a page long, a timeline line should not. */
    static final int MAX_SUMMARY_CHARS = 2_000;

    /** Where an entry came from, in the order entries of the same instant are listed. */
    public enum Source {
        LOG, EVENT, ALERT, AUDIT, TRACE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Entry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(summary, "summary");
        summary = summary.length() <= MAX_SUMMARY_CHARS ? summary : summary.substring(0, MAX_SUMMARY_CHARS) + "...";
        details = details == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** The trace id inside a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    static String traceIdOf(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        String[] parts = traceparent.split("-");
        return parts.length == 4 && parts[1].length() == 32 ? parts[1] : null;
    }
}
