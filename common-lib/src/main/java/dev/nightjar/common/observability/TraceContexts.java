package dev.nightjar.common.observability;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.IdGenerator;

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
     * a well-formed version-00 traceparent (then the child starts a trace of its own).
     */
    public static TraceContext context(Tracer tracer, String traceparent) {
        if (!wellFormed(traceparent)) {
            return null;
        }
        return tracer.traceContextBuilder().traceId(traceparent.substring(3, 35)).spanId(traceparent.substring(36, 52))
                .sampled(sampled(traceparent)).build();
    }

    /**
     * Whether {@code traceparent} is a well-formed W3C trace parent (version 00, lower-case hex ids not all zero, hex
     * flags) whose sampled flag is off: a trace its sender does not record.
     */
    public static boolean unrecorded(String traceparent) {
        return wellFormed(traceparent) && !sampled(traceparent);
    }

    /** Version 00, a trace id and a span id of lower-case hex not all zero, two hex digits of flags. */
    static boolean wellFormed(String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || !traceparent.startsWith("00-")
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return false;
        }
        return hexNotAllZero(traceparent, 3, 35) && hexNotAllZero(traceparent, 36, 52)
                && hex(traceparent.charAt(53)) >= 0 && hex(traceparent.charAt(54)) >= 0;
    }

    /** The sampled flag (the flags' lowest bit) of a well-formed traceparent. */
    static boolean sampled(String traceparent) {
        return (hex(traceparent.charAt(54)) & 1) == 1;
    }

    private static boolean hexNotAllZero(String text, int from, int to) {
        boolean nonZero = false;
        for (int i = from; i < to; i++) {
            int digit = hex(text.charAt(i));
            if (digit < 0) {
                return false;
            }
            nonZero |= digit != 0;
        }
        return nonZero;
    }

    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    }

    /**
     * Makes current, until the scope is closed, a new trace nobody records (its span not sampled, so nothing of it is
     * kept), for work that is no request's, such as opening connections before the first request: its calls pass the
     * trace on as not sampled, so neither they nor their callees start a recorded trace of their own. Without a tracer,
     * nothing.
     */
    public static Tracer.SpanInScope unrecordedTrace(Tracer tracer) {
        if (tracer == null) {
            return () -> { };
        }
        TraceContext unsampled = tracer.traceContextBuilder().traceId(IdGenerator.random().generateTraceId())
                .spanId(IdGenerator.random().generateSpanId()).sampled(false).build();
        Span span = tracer.spanBuilder().setParent(unsampled).start();
        Tracer.SpanInScope scope = tracer.withSpan(span);
        return () -> {
            scope.close();
            span.end();
        };
    }

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
