package dev.nightjar.auth;

import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.contracts.contract.AuthContract;
import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.auth.acquirer.AcquirerProperties;
import dev.nightjar.auth.acquirer.ResilientConnector;
import dev.nightjar.auth.acquirer.SimulatorConnector;
import dev.nightjar.auth.authorization.AcquirerOperations;
import dev.nightjar.auth.authorization.AcquirerRouter;
import dev.nightjar.auth.authorization.RoutingProperties;
import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.http.ConnectionWarmUp;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.observability.UnrecordedCalls;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxSignal;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class AuthConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AuthConfiguration.class);

    /**
     * One connector per configured acquirer (all speak the simulator's protocol today; another protocol is
     * another {@link AcquirerConnector}), each behind its own breaker and bulkhead, published as metrics
     * ({@code resilience4j_circuitbreaker_*}, {@code resilience4j_bulkhead_*}).
     */
    @Bean
    AcquirerRouter acquirerRouter(AcquirerProperties properties, RoutingProperties routing, RestClient.Builder builder,
                                  SslBundles bundles, NightjarProperties nightjar, MeterRegistry meters,
                                  ObjectProvider<UnrecordedCalls> unrecorded) {
        var ssl = nightjar.tls().enabled() ? bundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE) : null;
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.ofDefaults();
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        List<AcquirerConnector> connectors = properties.acquirers().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> {
                    AcquirerProperties.Acquirer settings = entry.getValue();
                    CircuitBreaker breaker = breakers.circuitBreaker(entry.getKey(), CircuitBreakerConfig.custom()
                            .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                            .slidingWindowSize(settings.slidingWindow())
                            .minimumNumberOfCalls(settings.minimumCalls())
                            .failureRateThreshold(settings.failureRateThreshold())
                            .waitDurationInOpenState(settings.openFor())
                            .permittedNumberOfCallsInHalfOpenState(settings.halfOpenCalls())
                            .automaticTransitionFromOpenToHalfOpenEnabled(false)
                            .build());
                    breaker.getEventPublisher().onStateTransition(event -> log.warn("acquirer {}: circuit breaker {}",
                            entry.getKey(), event.getStateTransition()));
                    Bulkhead bulkhead = bulkheads.bulkhead(entry.getKey(), BulkheadConfig.custom()
                            .maxConcurrentCalls(settings.maxConcurrentCalls())
                            .maxWaitDuration(java.time.Duration.ZERO)
                            .build());
                    return (AcquirerConnector) new ResilientConnector(
                            new SimulatorConnector(entry.getKey(), settings, builder, ssl,
                                    unrecorded.getIfAvailable()), breaker, bulkhead);
                })
                .toList();
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(meters);
        return new AcquirerRouter(connectors, routing.rules());
    }

    /** The acquirers that take payments, for the service's connection warm-up (see {@link ConnectionWarmUp}). */
    @Bean
    ConnectionWarmUp.Targets acquirerWarmUpTargets(AcquirerRouter router) {
        return () -> {
            Map<String, ConnectionWarmUp.Target> targets = new TreeMap<>();
            router.all().forEach(connector -> connector.warmUp().ifPresent(target -> targets.put(connector.name(), target)));
            return targets;
        };
    }

    @Bean
    AcquirerOperations acquirerOperations(JdbcClient jdbc, InternalClients clients, AcquirerRouter router,
                                          TraceContexts traces,
                                          @Value("${nightjar.auth.send-lease:30s}")
                                          java.time.Duration sendLease, OutboxSignal outboxSignal,
                                          MeterRegistry meters) {
        return new AcquirerOperations(jdbc, clients, router, traces, sendLease, outboxSignal, meters);
    }

    /** Raised by the writers of the outbox when they commit, so the relay publishes at once. */
    @Bean
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    @Bean
    OutboxRelay outboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters,
                            EventSpans spans, OutboxSignal outboxSignal, OutboxRelay.Pacing pacing,
                            UnrecordedKafkaSends<String, byte[]> unrecordedEventSends) {
        return new OutboxRelay("auth", dataSource, eventKafkaTemplate, meters, spans, outboxSignal, pacing,
                unrecordedEventSends);
    }

    /**
     * The authorizing path before the service reports ready ({@link RequestPathWarmUp}): an authorization refused
     * for its amount, checked before anything is recorded or any acquirer is called.
     */
    @Bean
    RequestPathWarmUp.Requests warmUpRequests() {
        return () -> List.of(RequestPathWarmUp.Request.post(AuthContract.AUTHORIZATIONS,
                new AuthContract.AuthorizeRequest("pay_warmup", RequestPathWarmUp.MERCHANT, "tok_warmup", 0, "EUR", false),
                400));
    }
}
