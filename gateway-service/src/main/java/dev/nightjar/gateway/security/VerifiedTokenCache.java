package dev.nightjar.gateway.security;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

/**
 * Verifies each access token's signature once: a merchant sends the same token with every request for
 * up to an hour, and an RSA verification per request cost a tenth of the gateway's CPU. A cached token
 * is the exact string that was verified; its expiry is checked again on every use. Bounded: when full,
 * the cache is emptied and refills with the tokens in use.
 */
public final class VerifiedTokenCache implements JwtDecoder {

    private static final int MAX_TOKENS = 50_000;

    private final JwtDecoder verifier;
    private final Clock clock;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    public VerifiedTokenCache(JwtDecoder verifier, Clock clock) {
        this.verifier = verifier;
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt cached = verified.get(token);
        Instant now = clock.instant();
        if (cached != null) {
            if (cached.getExpiresAt() != null && !cached.getExpiresAt().isAfter(now)) {
                verified.remove(token);
                throw new JwtValidationException("The access token has expired.", java.util.List.of(
                        new org.springframework.security.oauth2.core.OAuth2Error("invalid_token", "expired", null)));
            }
            return cached;
        }
        Jwt jwt = verifier.decode(token);
        if (verified.size() >= MAX_TOKENS) {
            verified.clear();
        }
        verified.put(token, jwt);
        return jwt;
    }
}
