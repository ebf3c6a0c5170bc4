package dev.nightjar.gateway.oauth;

import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * A token request that authenticates no client at all (no credentials, or a bearer token where HTTP Basic
 * belongs): 401 {@code invalid_client} in the token endpoint's documented RFC 6749 shape, as for a wrong
 * secret, instead of an empty body.
 */
public final class ClientAuthenticationRequired implements AuthenticationEntryPoint {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Basic realm=\"nightjar\"");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        Json.MAPPER.writeValue(response.getOutputStream(), Map.of("error", "invalid_client",
                "error_description", "Authenticate the client with HTTP Basic: client_id and client_secret."));
    }
}
