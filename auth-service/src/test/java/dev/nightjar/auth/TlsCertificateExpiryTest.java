package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.config.NightjarAutoConfiguration;
import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import dev.nightjar.common.lifecycle.PeriodicSample;
import dev.nightjar.common.security.TlsCertificateExpiry;
import dev.nightjar.testsupport.TestTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.client.RestClient;

/** nightjar_tls_certificate_expiry_timestamp_seconds: the service's own certificate, and none behind a mesh. */
class TlsCertificateExpiryTest {

    private static final String GAUGE = "nightjar_tls_certificate_expiry_timestamp_seconds{identity=\"auth-service\"} ";

    @Test
    void theGaugeIsTheNotAfterOfTheCertificateTheServicePresents() throws Exception {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TlsCertificateExpiry(() -> bundle("auth-service"), "auth-service", meters);

        long notAfter = notAfter("auth-service");
        assertThat(notAfter).isGreaterThan(Instant.now().getEpochSecond());
        assertThat(meters.scrape()).contains(GAUGE);
        assertThat(value(meters)).isEqualTo((double) notAfter);
    }

    @Test
    void everyServiceGetsTheGaugeFromCommonLibExceptBehindAMesh() throws Exception {
        WebApplicationContextRunner service = new WebApplicationContextRunner()
                // as SpringApplication does: @Value durations ("3s") convert
                .withInitializer(context -> context.getBeanFactory()
                        .setConversionService(ApplicationConversionService.getSharedInstance()))
                .withConfiguration(AutoConfigurations.of(NightjarAutoConfiguration.class))
                .withBean(MeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .withBean(RestClient.Builder.class, RestClient::builder)
                .withBean(SslBundles.class, () -> {
                    DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
                    bundles.registerBundle(NightjarEnvironmentPostProcessor.BUNDLE, bundle("auth-service"));
                    return bundles;
                })
                .withPropertyValues("spring.application.name=auth-service", "nightjar.tls.warm-up.handshakes=1");
        long notAfter = notAfter("auth-service");

        service.run(context -> {
            assertThat(context).hasSingleBean(TlsCertificateExpiry.class);
            assertThat(context).getBeans(PeriodicSample.class).containsKey("kafkaConsumerLag");
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(((PrometheusMeterRegistry) meters).scrape()).contains(GAUGE);
            assertThat(value(meters)).isEqualTo((double) notAfter);
        });
        service.withPropertyValues("nightjar.tls.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TlsCertificateExpiry.class);
            assertThat(((PrometheusMeterRegistry) context.getBean(MeterRegistry.class)).scrape())
                    .doesNotContain("nightjar_tls_certificate_expiry_timestamp_seconds{");
        });
    }

    private static SslBundle bundle(String identity) {
        String dir = TestTls.dir().toString();
        return SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate("file:" + dir + "/" + identity + ".crt")
                        .withPrivateKey("file:" + dir + "/" + identity + ".key"),
                PemSslStoreDetails.forCertificate("file:" + dir + "/ca.crt")));
    }

    private static long notAfter(String identity) throws Exception {
        try (InputStream pem = Files.newInputStream(TestTls.dir().resolve(identity + ".crt"))) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(pem);
            return certificate.getNotAfter().toInstant().getEpochSecond();
        }
    }

    private static double value(MeterRegistry meters) {
        return meters.get("nightjar.tls.certificate.expiry.timestamp_seconds").tag("identity", "auth-service").gauge().value();
    }
}
