package dev.nightjar.gateway.security;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.nightjar.gateway.GatewayProperties;
import dev.nightjar.gateway.limit.RateLimitFilter;
import dev.nightjar.gateway.limit.RateLimits;
import io.micrometer.core.instrument.MeterRegistry;
import dev.nightjar.gateway.merchant.Merchants;
import dev.nightjar.gateway.oauth.ClientAuthenticationRequired;
import dev.nightjar.gateway.oauth.MerchantClientRepository;
import dev.nightjar.gateway.oauth.SigningKeys;
import dev.nightjar.gateway.oauth.StatelessAuthorizationService;
import dev.nightjar.gateway.oauth.TokenResponseWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;
import dev.nightjar.gateway.contract.ApiContract;

/**
 * Three doors: the OAuth2 token endpoints (client credentials), the merchant API under {@code /v1}
 * (bearer JWT with scopes: reads need payments:read, writes payments:write), and everything else,
 * which Spring Security leaves to the call-graph filter ({@code /internal}) or to nobody. Under {@code /v1}
 * a method or URL the contract does not document needs a valid token and nothing more, so that whoever
 * sends one learns the truth: 404, or 405 with {@code Allow}.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    public static final String MERCHANT_ID_CLAIM = "merchant_id";

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    SigningKeys signingKeys(JdbcClient jdbc) {
        return SigningKeys.load(jdbc);
    }

    /** Every active key; the JWKS endpoint publishes their public halves. */
    @Bean
    JWKSource<SecurityContext> jwkSource(SigningKeys keys) {
        return new ImmutableJWKSet<>(keys.all());
    }

    /** Signs with exactly one key, the newest. */
    @Bean
    JwtEncoder jwtEncoder(SigningKeys keys) {
        return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(keys.current())));
    }

    @Bean
    JwtDecoder jwtDecoder(JWKSource<SecurityContext> jwkSource, GatewayProperties properties, java.time.Clock clock) {
        NimbusJwtDecoder decoder = (NimbusJwtDecoder) OAuth2AuthorizationServerConfiguration.jwtDecoder(jwkSource);
        decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(properties.issuer()));
        return new VerifiedTokenCache(decoder, clock);
    }

    /**
     * No observation per security filter: the request itself is observed (metrics, trace) once, and a
     * span for each of a dozen filters on every request is cost without insight.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    RegisteredClientRepository registeredClientRepository(Merchants merchants, GatewayProperties properties) {
        return new MerchantClientRepository(merchants, properties.accessTokenTtl());
    }

    @Bean
    OAuth2AuthorizationService authorizationService() {
        return new StatelessAuthorizationService();
    }

    @Bean
    AuthorizationServerSettings authorizationServerSettings(GatewayProperties properties) {
        return AuthorizationServerSettings.builder().issuer(properties.issuer()).build();
    }

    /** Puts the merchant in every access token, so the API knows whose data a request may touch. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> merchantClaim() {
        return context -> {
            Object merchantId = context.getRegisteredClient().getClientSettings()
                    .getSetting(MerchantClientRepository.MERCHANT_ID_SETTING);
            if (merchantId != null) {
                context.getClaims().claim(MERCHANT_ID_CLAIM, merchantId);
            }
        };
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServerChain(HttpSecurity http, RegisteredClientRepository clients,
                                                 OAuth2AuthorizationService authorizations,
                                                 AuthorizationServerSettings settings) throws Exception {
        OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
        http.securityMatcher(server.getEndpointsMatcher())
                .with(server, configurer -> configurer
                        .registeredClientRepository(clients)
                        .authorizationService(authorizations)
                        .authorizationServerSettings(settings)
                        .tokenEndpoint(endpoint -> endpoint.accessTokenResponseHandler(new TokenResponseWriter())))
                .authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(new ClientAuthenticationRequired()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable());
        return http.build();
    }

    /**
     * The firewall refuses URLs and header values it distrusts ({@link RejectedRequests} answers those), but
     * lets any method through: a method the API does not serve then reaches Spring MVC, which answers 405 with
     * {@code Allow}, instead of a bare 400. No rule here permits by method alone, so nothing is opened by it.
     * Its character rules are its defaults, checked without regular expressions ({@link HeaderCharacters}).
     */
    @Bean
    WebSecurityCustomizer firewall(RejectedRequests rejections) {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setUnsafeAllowAnyHttpMethod(true);
        firewall.setAllowedHeaderNames(HeaderCharacters::name);
        firewall.setAllowedHeaderValues(HeaderCharacters::value);
        firewall.setAllowedParameterNames(HeaderCharacters::name);
        return web -> web.httpFirewall(firewall).requestRejectedHandler(rejections);
    }

    @Bean
    @Order(2)
    SecurityFilterChain merchantApiChain(HttpSecurity http, JwtDecoder decoder, RateLimits limits, MeterRegistry meters,
                                         ApiContract contract) throws Exception {
        // public whatever the method, so that a wrong one learns 405 without a token it does not need
        RequestMatcher openApiDocument = request -> "/v1/openapi.json".equals(request.getRequestURI());
        http.securityMatcher("/v1/**")
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(openApiDocument).permitAll()
                        .requestMatchers(documented(contract, "GET")).hasAuthority("SCOPE_payments:read")
                        .requestMatchers(documented(contract, "POST", "DELETE")).hasAuthority("SCOPE_payments:write")
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resource -> resource
                        .bearerTokenResolver(new BearerTokens())
                        .jwt(jwt -> jwt.decoder(decoder))
                        .authenticationEntryPoint(ApiAuthenticationErrors.unauthenticated())
                        .accessDeniedHandler(ApiAuthenticationErrors.forbidden()))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint(ApiAuthenticationErrors.unauthenticated())
                        .accessDeniedHandler(ApiAuthenticationErrors.forbidden()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(Customizer.withDefaults())
                // not a bean: Boot would register it for every request, before authentication
                .addFilterAfter(new RateLimitFilter(limits, meters), BearerTokenAuthenticationFilter.class);
        return http.build();
    }

    /** Requests that are one of the contract's operations with one of these methods (HEAD counts as GET). */
    private static RequestMatcher documented(ApiContract contract, String... methods) {
        java.util.Set<String> wanted = java.util.Set.of(methods);
        return request -> {
            String method = "HEAD".equals(request.getMethod()) ? "GET" : request.getMethod();
            return wanted.contains(method) && contract.documents(request.getMethod(), request.getRequestURI());
        };
    }

    @Bean
    @Order(3)
    SecurityFilterChain everythingElse(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .requestCache(cache -> cache.disable());
        return http.build();
    }
}
