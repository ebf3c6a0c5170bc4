package dev.nightjar.common.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;

/**
 * Every answer of every service in the API's error shape, also where no handler of ours decides it: Tomcat's
 * refusals ({@link JsonErrorReportValve}), the container's error dispatch ({@link ApiErrorController}) and
 * Spring Boot's error attributes ({@link ApiErrorAttributes}). Ahead of Spring Boot's own, which step aside.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiErrorsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ErrorController.class)
    ApiErrorController apiErrorController() {
        return new ApiErrorController();
    }

    @Bean
    @ConditionalOnMissingBean(ErrorAttributes.class)
    ApiErrorAttributes apiErrorAttributes() {
        return new ApiErrorAttributes();
    }

    @Bean
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    JsonErrorPages jsonErrorPages() {
        return new JsonErrorPages();
    }
}
