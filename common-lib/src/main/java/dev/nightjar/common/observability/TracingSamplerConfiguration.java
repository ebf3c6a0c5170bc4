package dev.nightjar.common.observability;

import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Which traces a service records ({@link TracesPerSecondSampler}): parent-based; a new trace by the ratio of
 * {@code management.tracing.sampling.probability}, and at most {@code nightjar.tracing.max-traces-per-second} of
 * them a second ({@code 0}, the default: no ceiling, as Spring Boot's own sampler). In place of Spring Boot's.
 */
@AutoConfiguration(before = OpenTelemetryTracingAutoConfiguration.class)
@ConditionalOnClass({Sampler.class, OpenTelemetryTracingAutoConfiguration.class})
public class TracingSamplerConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Sampler nightjarSampler(@Value("${management.tracing.sampling.probability:0.1}") double probability,
                            @Value("${nightjar.tracing.max-traces-per-second:0}") int maxTracesPerSecond) {
        return TracesPerSecondSampler.parentBased(probability, maxTracesPerSecond);
    }
}
