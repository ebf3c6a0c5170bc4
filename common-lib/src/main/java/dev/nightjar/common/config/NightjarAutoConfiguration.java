package dev.nightjar.common.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.nightjar.common.http.ConnectionWarmUp;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.TlsWarmUp;
import dev.nightjar.common.jdbc.FailFastDataSource;
import dev.nightjar.common.jdbc.PoolWarmUp;
import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.common.lifecycle.Watchdog;
import dev.nightjar.common.observability.CallPathConvention;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.observability.UnrecordedCalls;
import dev.nightjar.common.security.CallerAuthorizationFilter;
import dev.nightjar.common.security.CallerIdentityResolver;
import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.common.web.AdmissionLimit;
import dev.nightjar.common.web.ApiExceptionHandler;
import dev.nightjar.common.web.DirectDispatch;
import dev.nightjar.common.web.DirectJsonBodies;
import dev.nightjar.common.web.InFlightLimitFilter;
import dev.nightjar.common.web.ReadinessController;
import dev.nightjar.common.web.ReturnValueHandlersChosenOnce;
import dev.nightjar.common.web.SchedulerLag;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.exporter.logging.LoggingSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.client.observation.ClientRequestObservationConvention;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.web.client.RestClient;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/** What every Nightjar service gets by depending on common-lib: caller checks, internal clients, the error body. */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(NightjarProperties.class)
public class NightjarAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ApiExceptionHandler apiExceptionHandler() {
        return new ApiExceptionHandler();
    }

    /** The process's {@link Watchdog}: calls broken off because their time ran out, and calls watched now. */
    @Bean
    MeterBinder watchdogMeters() {
        return meters -> {
            Watchdog watchdog = Watchdog.shared();
            FunctionCounter.builder("nightjar.watchdog.broken.off", watchdog, Watchdog::brokenOffCount)
                    .description("Calls broken off because their time ran out: HTTP calls, database connections"
                            + " held by a request, waits for an audit record's commit")
                    .register(meters);
            Gauge.builder("nightjar.watchdog.armed", watchdog, Watchdog::armedCount)
                    .description("Calls the watchdog keeps the time of now")
                    .register(meters);
        };
    }

    @Bean
    ReadinessController readinessController(ObjectProvider<HealthEndpoint> health) {
        return new ReadinessController(health);
    }

    /**
     * The bound on requests worked on at once (see {@link InFlightLimitFilter}); first of all filters. It moves
     * between {@code min-in-flight} and {@code max-in-flight} with the scheduler's lag ({@link AdmissionLimit}).
     * 128 at most: past that, requests only queue for the same two cores. A service just restarted (its code not
     * yet compiled) took seconds per request with 128 admitted at once, past the merchant's patience, where a
     * fast 503 and the client's backoff serve everyone sooner. A healthy service at thousands of payments per
     * second has a few dozen in flight. For its first {@code cold-for} the floor is {@code cold-min-in-flight}
     * (by default the same as {@code min-in-flight}).
     */
    @Bean
    AdmissionLimit admissionLimit(@Value("${nightjar.server.min-in-flight:32}") int minInFlight,
                                  @Value("${nightjar.server.cold-min-in-flight:${nightjar.server.min-in-flight:32}}")
                                  int coldMinInFlight,
                                  @Value("${nightjar.server.cold-for:60s}") Duration coldFor,
                                  @Value("${nightjar.server.max-in-flight:128}") int maxInFlight,
                                  @Value("${nightjar.server.scheduler-lag-target:200ms}") Duration lagTarget) {
        return new AdmissionLimit(coldMinInFlight, coldFor, minInFlight, maxInFlight, lagTarget, System::nanoTime);
    }

    @Bean(destroyMethod = "close")
    SchedulerLag schedulerLag(AdmissionLimit limit, MeterRegistry meters) {
        return new SchedulerLag(limit, meters);
    }

    @Bean
    FilterRegistrationBean<InFlightLimitFilter> inFlightLimitFilter(AdmissionLimit limit, MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new InFlightLimitFilter(limit, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<CallerAuthorizationFilter> callerAuthorizationFilter(
            NightjarProperties properties, @Value("${spring.application.name}") String service,
            @Value("${nightjar.tls.identity:${spring.application.name}}") String identity,
            ObjectProvider<RequestPathWarmUp> warmUp) {
        CallerIdentityResolver resolver = new CallerIdentityResolver(properties.tls().trustMeshIdentity());
        var filter = new CallerAuthorizationFilter(service, identity, RequestPathWarmUp.sentBy(warmUp::getIfAvailable),
                properties.security().protectedPrefixes(), resolver);
        var registration = new FilterRegistrationBean<>(filter);
        // Before Spring Security and everything else: an unknown caller gets no further.
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    /**
     * The services' plain JSON handler methods served without Spring MVC's dispatch ({@link DirectDispatch}): the last
     * filter before the dispatcher servlet, so every other filter has run.
     */
    @Bean
    @ConditionalOnProperty(name = "nightjar.server.direct-dispatch", havingValue = "true", matchIfMissing = true)
    FilterRegistrationBean<DirectDispatch> directDispatch(ApplicationContext context) {
        var filter = DirectDispatch.of(context);
        var registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean
    TraceContexts traceContexts(org.springframework.beans.factory.ObjectProvider<Tracer> tracer) {
        return new TraceContexts(tracer.getIfAvailable());
    }

    /** Every finished span written to the service's log, when asked for (tests that read the logs). */
    @Bean
    @ConditionalOnProperty("nightjar.tracing.log-spans")
    SpanExporter loggingSpanExporter() {
        return LoggingSpanExporter.create();
    }

    /** How long a database that could not be reached is given before a caller is let through to try again. */
    public static final java.time.Duration FAIL_FAST_FOR = java.time.Duration.ofSeconds(1);

    /**
     * The service's own connection pool stops making callers wait once its database is known to be
     * unreachable (see {@link FailFastDataSource}): requests get a fast 503 instead of each waiting out the
     * pool's connection timeout. Only where there is a pool (the acquirer simulator has none).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "com.zaxxer.hikari.HikariDataSource")
    static class FailFastPools {

        @Bean
        static BeanPostProcessor failFastDataSources() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return bean instanceof HikariDataSource pool ? new FailFastDataSource(pool, FAIL_FAST_FOR) : bean;
                }
            };
        }

        /** Opens each pool's connections before the first request needs them (see {@link PoolWarmUp}). */
        @Bean
        PoolWarmUp poolWarmUp(ObjectProvider<DataSource> dataSources, ObjectProvider<Shards> shards,
                              @Value("${nightjar.jdbc.warm-up.connections:8}") int connections) {
            return new PoolWarmUp(() -> {
                List<HikariDataSource> pools = new ArrayList<>();
                dataSources.orderedStream().forEach(dataSource -> {
                    if (dataSource instanceof DelegatingDataSource wrapper
                            && wrapper.getTargetDataSource() instanceof HikariDataSource pool) {
                        pools.add(pool);
                    } else if (dataSource instanceof HikariDataSource pool) {
                        pools.add(pool);
                    }
                });
                shards.ifAvailable(opened -> pools.addAll(opened.pools()));
                return pools;
            }, connections);
        }
    }

    /** Compiles the TLS handshake before the first caller needs it (see {@link TlsWarmUp}). */
    @Bean
    @ConditionalOnProperty(name = "nightjar.tls.enabled", matchIfMissing = true)
    TlsWarmUp tlsWarmUp(SslBundles sslBundles,
                        @Value("${nightjar.tls.warm-up.handshakes:150}") int handshakes,
                        @Value("${nightjar.tls.warm-up.budget:3s}") Duration budget) {
        SslBundle bundle = sslBundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE);
        return new TlsWarmUp(bundle.createSslContext(), bundle.getOptions().getEnabledProtocols(), handshakes, budget);
    }

    /** When the service's own certificate expires, as a gauge; none where a mesh terminates TLS. */
    @Bean
    @ConditionalOnProperty(name = "nightjar.tls.enabled", matchIfMissing = true)
    dev.nightjar.common.security.TlsCertificateExpiry tlsCertificateExpiry(SslBundles sslBundles, MeterRegistry meters,
            @Value("${nightjar.tls.identity:${spring.application.name}}") String identity) {
        return new dev.nightjar.common.security.TlsCertificateExpiry(
                () -> sslBundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE), identity, meters);
    }

    /** The lag of the service's Kafka listeners, per consumer group and topic; where Spring Kafka is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.kafka.config.KafkaListenerEndpointRegistry")
    static class KafkaConsumerLag {

        @Bean
        dev.nightjar.common.lifecycle.PeriodicSample kafkaConsumerLag(
                ObjectProvider<org.springframework.kafka.config.KafkaListenerEndpointRegistry> listeners,
                MeterRegistry meters) {
            var lag = new dev.nightjar.common.kafka.ConsumerLag(() -> {
                var registry = listeners.getIfAvailable();
                return registry == null ? java.util.List.of() : registry.getAllListenerContainers();
            }, meters);
            return new dev.nightjar.common.lifecycle.PeriodicSample("kafka-consumer-lag",
                    dev.nightjar.common.kafka.ConsumerLag.INTERVAL, lag::refresh);
        }
    }

    /**
     * Sends the service's own request path its warm-up requests before it reports ready (see
     * {@link RequestPathWarmUp}): the readiness check every service answers, and whatever the service adds.
     */
    @Bean
    RequestPathWarmUp requestPathWarmUp(ApplicationContext context, NightjarProperties properties, SslBundles sslBundles,
            ObjectProvider<RequestPathWarmUp.Requests> added,
            @Value("${nightjar.tls.identity:${spring.application.name}}") String identity,
            @Value("${nightjar.warm-up.rounds:200}") int rounds,
            @Value("${nightjar.warm-up.parallel:4}") int parallel,
            @Value("${nightjar.warm-up.budget:30s}") Duration budget,
            @Value("${nightjar.warm-up.strict:false}") boolean strict) {
        List<RequestPathWarmUp.Request> requests = new ArrayList<>();
        // not ready yet while the warm-up runs, so the check is answered 503
        requests.add(RequestPathWarmUp.Request.get(ReadinessController.PATH, 503));
        added.orderedStream().forEach(more -> requests.addAll(more.requests()));
        return new RequestPathWarmUp(() -> {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            boolean tls = properties.tls().enabled();
            // behind a mesh the caller is read from the header the sidecar sets; a call from inside the pod sets
            // its own, naming this service
            Map<String, String> headers = !tls && properties.tls().trustMeshIdentity()
                    ? Map.of(CallerIdentityResolver.XFCC_HEADER, "URI=" + Identities.spiffeId(
                            Identities.LOCAL_TRUST_DOMAIN, Identities.LOCAL_NAMESPACE, identity))
                    : Map.of();
            return new RequestPathWarmUp.Target((tls ? "https" : "http") + "://localhost:" + port,
                    tls ? sslBundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE) : null, headers);
        }, requests, rounds, parallel, budget, strict);
    }

    /** No observation of the warm-up's own requests: no metric, SLO or span counts them. */
    @Bean
    io.micrometer.observation.ObservationPredicate warmUpRequestsUnobserved(ObjectProvider<RequestPathWarmUp> warmUp) {
        return RequestPathWarmUp.unobserved(warmUp::getIfAvailable);
    }

    /**
     * Spring MVC chooses each handler method's return-value handler once (see {@link ReturnValueHandlersChosenOnce}),
     * and reads and writes plain JSON bodies by the converter directly ({@link DirectJsonBodies}).
     */
    @Bean
    static BeanPostProcessor returnValueHandlersChosenOnce() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof RequestMappingHandlerAdapter adapter) {
                    ReturnValueHandlersChosenOnce.install(adapter);
                    DirectJsonBodies.install(adapter);
                }
                return bean;
            }
        };
    }

    /** Every {@code RestClient} from Spring's builder tags its calls by this (see {@link CallPathConvention}). */
    @Bean
    @ConditionalOnMissingBean(ClientRequestObservationConvention.class)
    CallPathConvention callPathConvention() {
        return new CallPathConvention();
    }

    @Bean
    @ConditionalOnMissingBean
    InternalClients internalClients(RestClient.Builder builder, NightjarProperties properties, SslBundles sslBundles,
                                    ObjectProvider<UnrecordedCalls> unrecorded) {
        return new InternalClients(builder, properties, sslBundles, unrecorded.getIfAvailable());
    }

    /**
     * Opens connections to the services called on every request before the first request (see {@link ConnectionWarmUp}):
     * the internal clients that ask for them, and whatever the service adds ({@link ConnectionWarmUp.Targets}).
     */
    @Bean
    ConnectionWarmUp connectionWarmUp(InternalClients clients, NightjarProperties properties,
                                      ObjectProvider<ConnectionWarmUp.Targets> more,
                                      @Value("${nightjar.http.warm-up.budget:3s}") Duration budget,
                                      @Value("${nightjar.http.warm-up.retry-for:60s}") Duration retryFor,
                                      ObjectProvider<Tracer> tracer) {
        Map<String, ConnectionWarmUp.Target> targets = new TreeMap<>();
        properties.clients().forEach((service, client) -> {
            if (client.url() != null && client.warmUpConnections() > 0) {
                targets.put(service, new ConnectionWarmUp.Target(clients.client(service), client.warmUpConnections()));
            }
        });
        more.orderedStream().forEach(added -> targets.putAll(added.targets()));
        return new ConnectionWarmUp(targets, budget, retryFor, tracer.getIfAvailable());
    }
}
