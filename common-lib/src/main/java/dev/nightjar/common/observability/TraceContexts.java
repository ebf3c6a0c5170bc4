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
        if (span == null) {
            return null;
        }
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
