package dev.nightjar.common.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * The services' sampler: parent-based, so a span follows its parent's decision, and a new trace is decided by
 * {@code root} (the ratio, capped: {@link TracesPerSecondSampler}). One thing more: the code that is about to start a
 * new trace can take its decision ahead ({@link #decideAhead()}), before it starts the span. The next new trace started
 * on the same thread takes that decision, whatever {@code root} would say by then. A merchant's request comes with no
 * trace: the gateway learns this way whether the trace it starts will be recorded, and serves the request without an
 * observation when it will not ({@link UnrecordedRequests}), with Spring's observation, whose span takes the decision,
 * when it will.
 */
public final class NewTraceSampler implements Sampler {

    private final Sampler root;
    private final Sampler parentBased;
    private final ThreadLocal<SamplingResult> ahead = new ThreadLocal<>();

    public NewTraceSampler(Sampler root) {
        this.root = root;
        this.parentBased = Sampler.parentBased(new Roots());
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        return parentBased.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    /**
     * Decides now whether the next new trace this thread starts is recorded, and keeps the decision for it. Call
     * {@link #forgetAhead()} once that trace has started, or when none did (a span with a parent does not take it).
     */
    public boolean decideAhead() {
        SamplingResult decided = root.shouldSample(Context.root(), IdGenerator.random().generateTraceId(), "",
                SpanKind.SERVER, Attributes.empty(), List.of());
        ahead.set(decided);
        return decided.getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    }

    /** Drops a decision taken ahead that no new trace took. */
    public void forgetAhead() {
        ahead.remove();
    }

    @Override
    public String getDescription() {
        return parentBased.getDescription();
    }

    /** New traces: the decision taken ahead on this thread, once, else the root sampler's. */
    private final class Roots implements Sampler {

        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            SamplingResult decided = ahead.get();
            if (decided != null) {
                ahead.remove();
                return decided;
            }
            return root.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
        }

        @Override
        public String getDescription() {
            return root.getDescription();
        }
    }
}
