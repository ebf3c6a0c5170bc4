package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;

/**
 * Sends inside an unrecorded trace pass it on without a span of their own ({@link UntracedSends}), and the internal
 * clients' calls inside one without an observation ({@link UnrecordedCalls}).
 */
@AutoConfiguration(after = OpenTelemetryTracingAutoConfiguration.class)
@ConditionalOnClass({Tracer.class, Propagator.class})
public class UntracedSendsConfiguration {

    @Bean
    @Order(UntracedSends.ORDER)
    @ConditionalOnBean({Tracer.class, Propagator.class})
    UntracedSends untracedSends(Tracer tracer, Propagator propagator) {
        return new UntracedSends(tracer, propagator);
    }

    @Bean
    @ConditionalOnBean({Tracer.class, Propagator.class})
    UnrecordedCalls unrecordedCalls(Tracer tracer, Propagator propagator, ObjectProvider<MeterRegistry> registry) {
        return new UnrecordedCalls(tracer, propagator, registry.getIfAvailable(SimpleMeterRegistry::new));
    }
}
