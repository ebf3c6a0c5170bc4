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
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class TracesPerSecondSamplerTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final IdGenerator ids = IdGenerator.random();

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }

    private int newTracesRecorded(Sampler sampler, int asked) {
        int recorded = 0;
        for (int i = 0; i < asked; i++) {
            if (decide(sampler, Context.root()) == SamplingDecision.RECORD_AND_SAMPLE) {
                recorded++;
            }
        }
        return recorded;
    }

    private SamplingDecision decide(Sampler sampler, Context parent) {
        return sampler.shouldSample(parent, ids.generateTraceId(), "POST /v1/payments", SpanKind.SERVER,
                Attributes.empty(), List.of()).getDecision();
    }

    @Test
    void aQuietServiceRecordsEveryTraceItsRatioChoosesAndABusyOneAtMostItsCeilingASecond() {
        Sampler sampler = Sampler.parentBased(new TracesPerSecondSampler(Sampler.alwaysOn(), 10, nanos::get));
        assertThat(newTracesRecorded(sampler, 25)).as("a second's worth at once, after a quiet spell").isEqualTo(10);
        advance(Duration.ofMillis(100));
        assertThat(newTracesRecorded(sampler, 5)).as("a tenth of a second later: one place more").isEqualTo(1);
        int recorded = 0;
        for (int tick = 0; tick < 300; tick++) {
            advance(Duration.ofMillis(10));
            recorded += newTracesRecorded(sampler, 6);
        }
        assertThat(recorded).as("600 new traces a second for 3 s").isEqualTo(30);
        advance(Duration.ofSeconds(2));
        assertThat(newTracesRecorded(sampler, 10)).as("quiet again: each one recorded").isEqualTo(10);
    }

    @Test
    void theRatioStillChoosesFirstAndAParentsDecisionIsFollowedPastTheCeiling() {
        assertThat(newTracesRecorded(Sampler.parentBased(new TracesPerSecondSampler(Sampler.alwaysOff(), 10, nanos::get)), 20))
                .as("the ratio chose none").isZero();

        Sampler sampler = Sampler.parentBased(new TracesPerSecondSampler(Sampler.alwaysOn(), 1, nanos::get));
        assertThat(newTracesRecorded(sampler, 3)).isEqualTo(1);
        Context sampledParent = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(ids.generateTraceId(),
                ids.generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault())));
        Context unsampledParent = Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(ids.generateTraceId(),
                ids.generateSpanId(), TraceFlags.getDefault(), TraceState.getDefault())));
        for (int i = 0; i < 5; i++) {
            assertThat(decide(sampler, sampledParent)).as("a hop of a recorded trace, the ceiling reached")
                    .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
            assertThat(decide(sampler, unsampledParent)).isEqualTo(SamplingDecision.DROP);
        }
    }

    @Test
    void everyServicesTracerUsesItWithTheCeilingItIsGiven() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TracingSamplerConfiguration.class,
                        OpenTelemetryTracingAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class))
                .withPropertyValues("management.tracing.sampling.probability=1.0", "nightjar.tracing.max-traces-per-second=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(SdkTracerProvider.class).getSampler().getDescription())
                            .startsWith("ParentBased").contains("AlwaysOnSampler").contains("at most 7 a second");
                });
    }

    @Test
    void withoutACeilingItIsTheRatioAlone() {
        Sampler sampler = TracesPerSecondSampler.parentBased(1.0, 0);
        assertThat(newTracesRecorded(sampler, 1_000)).isEqualTo(1_000);
        assertThat(TracesPerSecondSampler.parentBased(1.0, 5).getDescription()).contains("at most 5 a second");
    }
}
