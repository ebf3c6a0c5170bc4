package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A new trace's decision taken ahead is the one the next new trace on that thread gets, once; parents are followed. */
class NewTraceSamplerTest {

    /** A root sampler that answers what it is told to, in turn, and counts how often it is asked. */
    static final class Scripted implements Sampler {

        final Deque<Boolean> answers = new ArrayDeque<>();
        int asked;

        @Override
        public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
                                           Attributes attributes, List<LinkData> parentLinks) {
            asked++;
            return answers.removeFirst() ? SamplingResult.recordAndSample() : SamplingResult.drop();
        }

        @Override
        public String getDescription() {
            return "Scripted";
        }
    }

    private final Scripted root = new Scripted();
    private final NewTraceSampler sampler = new NewTraceSampler(root);

    private boolean newTraceRecorded() {
        return recorded(Context.root());
    }

    private boolean recorded(Context parent) {
        return sampler.shouldSample(parent, IdGenerator.random().generateTraceId(), "span", SpanKind.SERVER,
                Attributes.empty(), List.of()).getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    }

    private static Context parent(boolean sampled) {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(IdGenerator.random().generateTraceId(),
                IdGenerator.random().generateSpanId(), sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                TraceState.getDefault())));
    }

    @Test
    void theNextNewTraceTakesTheDecisionTakenAheadWhateverTheRootWouldSayThen() {
        root.answers.addAll(List.of(false, true));
        assertThat(sampler.decideAhead()).isFalse();
        assertThat(newTraceRecorded()).as("decided ahead: not recorded, though the root would now record it").isFalse();
        assertThat(newTraceRecorded()).as("the decision is taken once; then the root decides again").isTrue();
        assertThat(root.asked).isEqualTo(2);

        root.answers.addAll(List.of(true, false));
        assertThat(sampler.decideAhead()).isTrue();
        assertThat(newTraceRecorded()).as("decided ahead: recorded, though the root would now drop it").isTrue();
        assertThat(newTraceRecorded()).isFalse();
    }

    @Test
    void spansWithAParentFollowItAndLeaveTheDecisionForTheNextNewTrace() {
        root.answers.add(false);
        assertThat(sampler.decideAhead()).isFalse();
        assertThat(recorded(parent(true))).isTrue();
        assertThat(newTraceRecorded()).as("still the decision taken ahead").isFalse();
        assertThat(root.asked).isEqualTo(1);
    }

    @Test
    void aDecisionForgottenOrTakenOnAnotherThreadIsNotTaken() throws Exception {
        root.answers.addAll(List.of(false, true, true));
        assertThat(sampler.decideAhead()).isFalse();
        assertThat(CompletableFuture.supplyAsync(this::newTraceRecorded).get()).as("another thread's trace").isTrue();
        sampler.forgetAhead();
        assertThat(newTraceRecorded()).as("forgotten: the root decides").isTrue();
        assertThat(root.asked).isEqualTo(3);
    }

    @Test
    void itIsParentBasedOnTheRootItIsGiven() {
        assertThat(sampler.getDescription()).startsWith("ParentBased").contains("Scripted");
        assertThat(TracesPerSecondSampler.parentBased(1.0, 3).getDescription()).contains("at most 3 a second");
    }
}
