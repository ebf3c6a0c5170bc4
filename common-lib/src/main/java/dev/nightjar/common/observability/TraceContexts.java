package dev.nightjar.common.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;

/** The current trace as a W3C {@code traceparent}, carried inside events so asynchronous hops join the trace. */
public final class TraceContexts {

    private final Tracer tracer;

    public TraceContexts(Tracer tracer) {
        this.tracer = tracer;
    }

    /** {@code 00-<trace id>-<span id>-<flags>}, or null outside a trace. */
    public String currentTraceparent() {
        if (tracer == null) {
            return null;
        }
        Span span = tracer.currentSpan();
        return span == null ? null : traceparent(span);
    }

    /**
     * The trace context a W3C {@code traceparent} names, to start a child span of it; null when the value is not
     * a version-00 traceparent (then the child starts a trace of its own).
     */
    public static TraceContext context(Tracer tracer, String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return null;
        }
        String traceId = traceparent.substring(3, 35);
        String spanId = traceparent.substring(36, 52);
        if (!HEX.matcher(traceId).matches() || !HEX.matcher(spanId).matches()) {
            return null;
        }
        return tracer.traceContextBuilder().traceId(traceId).spanId(spanId)
                .sampled(traceparent.endsWith("-01")).build();
    }

    private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("[0-9a-f]+");

    /** {@code 00-<trace id>-<span id>-<flags>} of {@code span}. */
    public static String traceparent(Span span) {
        TraceContext context = span.context();
        boolean sampled = Boolean.TRUE.equals(context.sampled());
        return "00-" + context.traceId() + "-" + context.spanId() + "-" + (sampled ? "01" : "00");
    }

    /** Tags the current span, if any; values must never be card data. */
    public void tag(String key, String value) {
        if (tracer == null || value == null) {
            return;
        }
        Span span = tracer.currentSpan();
        if (span != null) {
            span.tag(key, value);
        }
    }
}
