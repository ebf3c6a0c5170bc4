package dev.nightjar.common.observability;

import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Work inside a trace that is not recorded, done without what only a recorded trace needs: sends pass the trace on
 * without a span of their own ({@link UntracedSends}), the internal clients' calls go without an observation
 * ({@link UnrecordedCalls}), and so do the requests that come inside such a trace ({@link UnrecordedRequests}, in
 * place of Spring Boot's server observation filter).
 */
@AutoConfiguration(after = OpenTelemetryTracingAutoConfiguration.class)
@ConditionalOnClass({Tracer.class, Propagator.class})
public class UnrecordedTracesConfiguration {

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

    /**
     * Spring Boot's server observation filter is replaced, as its registration is made, by one that observes the
     * same requests but those inside an unrecorded trace ({@link UnrecordedRequests}), and, where the tracer samples
     * with a {@link NewTraceSampler}, those that come with no trace and start one that is not recorded; where there is
     * no tracer it stays as it is. The warm-up's requests stay Spring's filter's, which observes none of them.
     */
    @Bean
    static BeanPostProcessor unrecordedRequestsInSpringsFilter(ObjectProvider<ObservationRegistry> observations,
                                                               ObjectProvider<ObservationProperties> properties,
                                                               ObjectProvider<ServerRequestObservationConvention> convention,
                                                               ObjectProvider<Tracer> tracer,
                                                               ObjectProvider<Propagator> propagator,
                                                               ObjectProvider<MeterRegistry> registry,
                                                               ObjectProvider<RequestPathWarmUp> warmUp,
                                                               ObjectProvider<Sampler> sampler) {
        return new BeanPostProcessor() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof FilterRegistrationBean registration && registration.getFilter() != null
                        && registration.getFilter().getClass() == ServerHttpObservationFilter.class
                        && tracer.getIfAvailable() != null && propagator.getIfAvailable() != null) {
                    ObservationProperties settings = properties.getIfAvailable(ObservationProperties::new);
                    String name = settings.getHttp().getServer().getRequests().getName();
                    registration.setFilter(new UnrecordedRequests(observations.getObject(), name,
                            convention.getIfAvailable(() -> new DefaultServerRequestObservationConvention(name)),
                            tracer.getObject(), propagator.getObject(), registry.getIfAvailable(SimpleMeterRegistry::new),
                            RequestPathWarmUp.sentBy(warmUp::getIfAvailable),
                            sampler.getIfAvailable() instanceof NewTraceSampler newTraces ? newTraces : null));
                }
                return bean;
            }
        };
    }
}
