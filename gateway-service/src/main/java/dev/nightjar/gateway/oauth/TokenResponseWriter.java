package dev.nightjar.gateway.oauth;

import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;

/**
 * Writes the token response of API.md: {@code access_token}, {@code token_type}, {@code expires_in}
 * (the token's whole lifetime, 3600) and {@code scope}, never cached (RFC 6749 §5.1).
 */
public final class TokenResponseWriter implements AuthenticationSuccessHandler {

    @Override
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
                                        Authentication authentication) throws IOException {
        OAuth2AccessToken token = ((OAuth2AccessTokenAuthenticationToken) authentication).getAccessToken();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.getTokenValue());
        body.put("token_type", token.getTokenType().getValue());
        body.put("expires_in", Duration.between(token.getIssuedAt(), token.getExpiresAt()).toSeconds());
        body.put("scope", String.join(" ", new java.util.TreeSet<>(token.getScopes())));
        response.setStatus(200);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Pragma", "no-cache");
        Json.MAPPER.writeValue(response.getOutputStream(), body);
    }
}
