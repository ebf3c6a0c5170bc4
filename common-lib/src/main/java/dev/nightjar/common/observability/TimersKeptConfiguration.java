package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * The observations' meter handler is {@link TimersKept}. Spring Boot 4.1 makes its {@code DefaultMeterObservationHandler}
 * whatever other handler there is (its bean has no condition), so the handler it makes is replaced as it is made.
 */
@AutoConfiguration
@ConditionalOnClass({DefaultMeterObservationHandler.class, MeterRegistry.class})
public class TimersKeptConfiguration {

    @Bean
    static BeanPostProcessor timersKeptForMicrometersHandler(ObjectProvider<MeterRegistry> registry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean.getClass() == DefaultMeterObservationHandler.class
                        ? new TimersKept(registry.getIfAvailable(SimpleMeterRegistry::new)) : bean;
            }
        };
    }
}
