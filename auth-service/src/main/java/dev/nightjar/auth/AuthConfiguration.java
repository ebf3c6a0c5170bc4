package dev.nightjar.auth;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.auth.acquirer.AcquirerProperties;
import dev.nightjar.auth.acquirer.SimulatorConnector;
import dev.nightjar.auth.authorization.AcquirerRouter;
import dev.nightjar.auth.authorization.AcquirerOperations;
import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    @Bean
    AcquirerRouter acquirerRouter(AcquirerProperties properties, RestClient.Builder builder, SslBundles bundles,
                                  NightjarProperties nightjar) {
        var ssl = nightjar.tls().enabled() ? bundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE) : null;
        List<AcquirerConnector> connectors = properties.acquirers().entrySet().stream()
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(entry -> (AcquirerConnector) new SimulatorConnector(entry.getKey(), entry.getValue(), builder, ssl))
                .toList();
        return new AcquirerRouter(connectors);
    }

    @Bean
    AcquirerOperations acquirerOperations(JdbcClient jdbc, InternalClients clients, AcquirerRouter router,
                                          TraceContexts traces) {
        return new AcquirerOperations(jdbc, clients, router, traces);
    }

    @Bean
    OutboxRelay outboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters) {
        return new OutboxRelay("auth", dataSource, eventKafkaTemplate, meters);
    }
}
