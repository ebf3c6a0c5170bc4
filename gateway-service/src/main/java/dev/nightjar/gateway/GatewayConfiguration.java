package dev.nightjar.gateway;

import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import dev.nightjar.gateway.security.SecurityConfiguration;
import java.util.List;
import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.web.AdmissionLimit;
import dev.nightjar.common.audit.AuditConfiguration;
import dev.nightjar.gateway.contract.ApiContract;
import dev.nightjar.gateway.contract.RequestChecks;
import dev.nightjar.gateway.idempotency.GatewaySecrets;
import dev.nightjar.gateway.idempotency.IdempotencyKeys;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.limit.ArrivalTimeValve;
import dev.nightjar.gateway.limit.BodyLimitFilter;
import dev.nightjar.gateway.limit.RateLimits;
import dev.nightjar.gateway.limit.RequestBudgetFilter;
import dev.nightjar.gateway.merchant.ClientRepository;
import dev.nightjar.gateway.merchant.MerchantRepository;
import dev.nightjar.gateway.merchant.Merchants;
import dev.nightjar.gateway.payment.PaymentRequestValidator;
import dev.nightjar.gateway.review.ReviewDecisionRepository;
import dev.nightjar.gateway.review.ReviewDecisions;
import dev.nightjar.gateway.webhook.PaymentEventsWebhooks;
import dev.nightjar.gateway.webhook.WebhookDeliveries;
import dev.nightjar.gateway.webhook.WebhookDispatcher;
import dev.nightjar.gateway.webhook.WebhookEndpointRepository;
import dev.nightjar.gateway.webhook.WebhookEndpoints;
import dev.nightjar.gateway.webhook.WebhookProperties;
import dev.nightjar.gateway.webhook.WebhookSecrets;
import dev.nightjar.gateway.webhook.WebhookSender;
import dev.nightjar.gateway.webhook.WebhookUrls;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import(AuditConfiguration.class)
class GatewayConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    Merchants merchants(MerchantRepository merchants, ClientRepository clients, TransactionTemplate transactions,
                        PasswordEncoder passwords) {
        return new Merchants(merchants, clients, transactions, passwords);
    }

    @Bean
    ReviewDecisions reviewDecisions(ReviewDecisionRepository decisions) {
        return new ReviewDecisions(decisions);
    }

    @Bean
    IdempotencyKeys idempotencyKeys(JdbcClient jdbc, GatewayProperties properties) {
        return new IdempotencyKeys(jdbc, GatewaySecrets.getOrCreate(jdbc, "idempotency-request-hash", 32),
                properties.idempotencyLock());
    }

    @Bean
    IdempotentRequests idempotentRequests(IdempotencyKeys keys) {
        return new IdempotentRequests(keys);
    }

    @Bean
    ApiContract apiContract() {
        return ApiContract.load();
    }

    /** The contract's rules for what a request carries besides its body, on every operation of the merchant API. */
    @Bean
    WebMvcConfigurer requestChecks(ApiContract contract) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new RequestChecks(contract)).addPathPatterns("/v1/**");
            }
        };
    }

    @Bean
    PaymentRequestValidator paymentRequestValidator(Clock clock) {
        return new PaymentRequestValidator(clock);
    }

    @Bean
    RateLimits rateLimits(JdbcClient jdbc, GatewayProperties properties) {
        return new RateLimits(jdbc, new RateLimits.Limit(properties.rateLimit(), properties.rateLimitBurst()));
    }

    /** First of all filters: nothing reads a body the limit has not passed. */
    @Bean
    FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(GatewayProperties properties) {
        FilterRegistrationBean<BodyLimitFilter> registration =
                new FilterRegistrationBean<>(new BodyLimitFilter((int) properties.maxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    EdgeHttp2 edgeHttp2() {
        return new EdgeHttp2();
    }

    @Bean
    FilterRegistrationBean<RequestBudgetFilter> requestBudgetFilter(GatewayProperties properties, MeterRegistry meters) {
        FilterRegistrationBean<RequestBudgetFilter> registration =
                new FilterRegistrationBean<>(new RequestBudgetFilter(properties.requestBudget(), meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/v1/*");
        return registration;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> arrivalTimes() {
        return factory -> factory.addEngineValves(new ArrivalTimeValve());
    }

    @Bean
    WebhookUrls webhookUrls(WebhookProperties properties) {
        return new WebhookUrls(properties);
    }

    @Bean
    WebhookEndpoints webhookEndpoints(WebhookEndpointRepository endpoints, JdbcClient jdbc, TransactionTemplate transactions,
                                      WebhookProperties properties) {
        return new WebhookEndpoints(endpoints, transactions,
                new WebhookSecrets(GatewaySecrets.getOrCreate(jdbc, "webhook-secret-key", 32)),
                properties.maxEndpointsPerMerchant());
    }

    @Bean
    WebhookDeliveries webhookDeliveries(JdbcClient jdbc) {
        return new WebhookDeliveries(jdbc);
    }

    @Bean
    dev.nightjar.common.lifecycle.PeriodicSample webhookBacklog(JdbcClient jdbc, MeterRegistry meters) {
        var backlog = new dev.nightjar.gateway.webhook.WebhookBacklog(jdbc, meters);
        return new dev.nightjar.common.lifecycle.PeriodicSample("webhook-backlog",
                dev.nightjar.gateway.webhook.WebhookBacklog.INTERVAL, backlog::refresh);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(WebhookDeliveries deliveries, WebhookEndpoints endpoints, WebhookUrls urls,
                                        WebhookProperties properties, Clock clock, AdmissionLimit pressure,
                                        MeterRegistry meters, EventSpans spans) {
        return new WebhookDispatcher(deliveries, endpoints, new WebhookSender(properties, urls, clock), properties, clock,
                pressure, meters, spans);
    }

    @Bean
    PaymentEventsWebhooks paymentEventsWebhooks(WebhookDeliveries deliveries, WebhookDispatcher dispatcher,
                                                KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                                                EventSpans spans) {
        return new PaymentEventsWebhooks(deliveries, dispatcher, kafka, meters, spans);
    }

    @Bean
    Housekeeping housekeeping(IdempotencyKeys keys, RateLimits limits, GatewayProperties properties) {
        return new Housekeeping(keys, limits, properties);
    }

    /** Periodic chores: expired idempotency keys go, rate limits set through another replica apply here. */
    record Housekeeping(IdempotencyKeys keys, RateLimits limits, GatewayProperties properties) {

        @Scheduled(fixedDelayString = "${nightjar.gateway.housekeeping-interval:10m}", initialDelayString = "1m")
        void purgeIdempotencyKeys() {
            while (keys.purge(properties.idempotencyTtl(), 10_000) == 10_000) {
                Thread.onSpinWait();
            }
        }

        @Scheduled(fixedDelayString = "${nightjar.gateway.rate-limit-refresh:30s}")
        void refreshRateLimits() {
            limits.refresh();
        }
    }

    /**
     * The merchant API before the service reports ready ({@link RequestPathWarmUp}): a payment without
     * credentials; with an access token for {@link RequestPathWarmUp#MERCHANT}, which no merchant is, signed here
     * and held only by the warm-up for two minutes, a payment whose amount the validation refuses before anything
     * is written. Nothing that would call another service: at a fleet's start it may not be there yet.
     */
    @Bean
    RequestPathWarmUp.Requests warmUpRequests(JwtEncoder tokens, GatewayProperties properties, java.time.Clock clock) {
        return () -> {
            java.time.Instant now = clock.instant();
            JwtClaimsSet claims = JwtClaimsSet.builder().issuer(properties.issuer()).subject("nightjar-warm-up")
                    .issuedAt(now).expiresAt(now.plus(java.time.Duration.ofMinutes(2)))
                    .claim(SecurityConfiguration.MERCHANT_ID_CLAIM, RequestPathWarmUp.MERCHANT)
                    .claim("scope", List.of("payments:read", "payments:write")).build();
            String bearer = "Bearer " + tokens.encode(JwtEncoderParameters.from(
                    JwsHeader.with(SignatureAlgorithm.RS256).build(), claims)).getTokenValue();
            java.util.Map<String, Object> payment = java.util.Map.of("amount", 0, "currency", "EUR",
                    "payment_method", java.util.Map.of("type", "card", "card", java.util.Map.of(
                            "number", "1234", "exp_month", 12, "exp_year", 2030, "cvc", "123")));
            return List.of(
                    RequestPathWarmUp.Request.post("/v1/payments", payment, 401),
                    RequestPathWarmUp.Request.post("/v1/payments", payment, 400)
                            .withHeader("Authorization", bearer).withHeader("Idempotency-Key", "warm-up"));
        };
    }
}
