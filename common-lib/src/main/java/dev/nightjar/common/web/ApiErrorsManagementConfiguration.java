package dev.nightjar.common.web;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.context.annotation.Bean;

/** Tomcat's refusals in the API's error shape on the management server too (its own Tomcat, its own context). */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnClass(TomcatServletWebServerFactory.class)
public class ApiErrorsManagementConfiguration {

    @Bean
    JsonErrorPages managementJsonErrorPages() {
        return new JsonErrorPages();
    }
}
