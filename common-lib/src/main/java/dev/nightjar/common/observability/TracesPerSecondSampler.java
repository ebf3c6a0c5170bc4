package dev.nightjar.common.observability;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Decides whether a new trace (a span without a parent) is recorded: the ratio's choice, and then at most
 * {@code perSecond} of those a second, a second's worth at once. Spans with a parent follow it, as with the ratio
 * alone ({@link #parentBased}), so a trace is whole or absent.
 *
 * <p>Why a ceiling as well as a ratio: a ratio makes tracing cost the same share of every payment at any rate, and
 * at hundreds of payments a second that is thousands of spans a second to write, send and store, where an SRE
 * reads a few traces. With the ceiling a quiet platform still traces every request it is asked to, and a busy
 * one traces as many a second as it did when quiet (docs/observability.md, docs/performance.md).
 */
public final class TracesPerSecondSampler implements Sampler {

    private final Sampler ratio;
    private final int perSecond;
    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier nanoClock;
    /** When the next trace may start if none is to start sooner: the bucket's level, as a time. */
    private final AtomicLong nextNanos;

    TracesPerSecondSampler(Sampler ratio, int perSecond, LongSupplier nanoClock) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("traces a second must be at least 1, got " + perSecond);
        }
        this.ratio = ratio;
        this.perSecond = perSecond;
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        this.burstNanos = TimeUnit.SECONDS.toNanos(1) - intervalNanos;
        this.nanoClock = nanoClock;
        this.nextNanos = new AtomicLong(nanoClock.getAsLong());
    }

    /**
     * The sampler a service uses: parent-based, and for new traces the ratio, capped at {@code perSecond} a second
     * ({@code 0}: no cap), each new trace's decision to be taken ahead where its starter needs it ({@link NewTraceSampler}).
     */
    public static NewTraceSampler parentBased(double probability, int perSecond) {
        Sampler ratio = Sampler.traceIdRatioBased(probability);
        return new NewTraceSampler(perSecond == 0 ? ratio : new TracesPerSecondSampler(ratio, perSecond, System::nanoTime));
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                       Attributes attributes, List<LinkData> parentLinks) {
        SamplingResult chosen = ratio.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
        if (chosen.getDecision() != SamplingDecision.RECORD_AND_SAMPLE || take()) {
            return chosen;
        }
        return SamplingResult.drop();
    }

    /** Takes a trace's place in this second, if one is free. */
    private boolean take() {
        long now = nanoClock.getAsLong();
        while (true) {
            long next = nextNanos.get();
            long from = next - now < 0 ? now : next;
            if (from - now > burstNanos) {
                return false;
            }
            if (nextNanos.compareAndSet(next, from + intervalNanos)) {
                return true;
            }
        }
    }

    @Override
    public String getDescription() {
        return "TracesPerSecond{" + ratio.getDescription() + ", at most " + perSecond + " a second}";
    }
}
