package dev.nightjar.common.observability;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.zipkin.autoconfigure.ZipkinAutoConfiguration;
import org.springframework.boot.zipkin.autoconfigure.ZipkinConnectionDetails;
import org.springframework.boot.zipkin.autoconfigure.ZipkinProperties;
import org.springframework.context.annotation.Bean;
import zipkin2.reporter.BytesMessageSender;
import zipkin2.reporter.Encoding;

/**
 * Spans reach a Zipkin server through {@link PlainZipkinSender}, in place of Spring Boot's compressing sender. The
 * endpoint, encoding and timeouts are Boot's ({@code management.tracing.export.zipkin.*}). Whether spans go to
 * Zipkin at all is {@code management.tracing.export.zipkin.enabled}: off in Nightjar's defaults, on where the
 * local platform runs its Zipkin server.
 */
@AutoConfiguration(before = ZipkinAutoConfiguration.class)
@ConditionalOnClass(ZipkinAutoConfiguration.class)
public class ZipkinExportConfiguration {

    @Bean
    @ConditionalOnMissingBean(BytesMessageSender.class)
    BytesMessageSender plainZipkinSender(Encoding encoding, ZipkinConnectionDetails connection, ZipkinProperties properties) {
        return new PlainZipkinSender(encoding, connection.getSpanEndpoint(), properties.getConnectTimeout(),
                properties.getReadTimeout());
    }
}
