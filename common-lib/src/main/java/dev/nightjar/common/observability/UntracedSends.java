package dev.nightjar.common.observability;

import io.micrometer.observation.Observation;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The tracing of an outgoing call or Kafka send made inside a trace that is not recorded. Micrometer's sender
 * handler makes a span for it all the same (one nobody records), makes it current around the call and ends it,
 * each step through the OpenTelemetry context and the log context: 0.3-0.8 % of the gateway's,
 * transaction-service's and auth-service's CPU by their profiles (docs/performance.md, "Crypto objects made once,
 * timers found once, calls inside an unrecorded trace without a span").
 * This handler, asked before Micrometer's, takes only those sends: it passes the caller's trace on unchanged (its
 * {@code traceparent}, "not sampled", so the receiver records nothing either and logs the same trace id) and
 * makes no span. A send inside a recorded trace, or outside any trace, is left to Micrometer's handler, exactly
 * as before. The decision is made once per observation and kept in its context, so every later callback goes
 * to the same handler.
 */
public final class UntracedSends implements TracingObservationHandler<SenderContext<Object>> {

    /** Ahead of Spring Boot's sender handler ({@code MicrometerTracingAutoConfiguration}, 2000) and receiver (1000). */
    public static final int ORDER = 500;

    /** Kept in an observation's context: the unrecorded parent span this handler took the send for, or none. */
    private record Taken(Span parent) {
        static final Taken NOT = new Taken(null);
    }

    private final Tracer tracer;
    private final Propagator propagator;

    public UntracedSends(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    @Override
    public boolean supportsContext(Observation.Context context) {
        return context instanceof SenderContext<?> && taken(context).parent() != null;
    }

    /** The decision, made at the first question and kept: the parent span is looked up once per send. */
    private Taken taken(Observation.Context context) {
        return context.computeIfAbsent(Taken.class, key -> {
            Span parent = getParentSpan(context);
            return parent != null && Boolean.FALSE.equals(parent.context().sampled()) ? new Taken(parent) : Taken.NOT;
        });
    }

    @Override
    public void onStart(SenderContext<Object> context) {
        TraceContext trace = taken(context).parent().context();
        propagator.inject(trace, context.getCarrier(), (carrier, key, value) -> context.getSetter().set(carrier, key, value));
        // an empty tracing context (made after the parent was found: getParentSpan reads this one first): the meter
        // handler's tracing wrapper requires one, and finds no span in it to make current
        getTracingContext(context);
    }

    @Override
    public void onStop(SenderContext<Object> context) {
    }

    @Override
    public void onError(SenderContext<Object> context) {
    }

    @Override
    public void onEvent(Observation.Event event, SenderContext<Object> context) {
    }

    @Override
    public void onScopeOpened(SenderContext<Object> context) {
    }

    @Override
    public void onScopeClosed(SenderContext<Object> context) {
    }

    @Override
    public void onScopeReset(SenderContext<Object> context) {
    }

    @Override
    public Tracer getTracer() {
        return tracer;
    }
}
