package dev.nightjar.gateway.security;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/** 401 and 403 on the merchant API in the API's error shape. */
final class ApiAuthenticationErrors {

    private ApiAuthenticationErrors() {
    }

    static AuthenticationEntryPoint unauthenticated() {
        return (request, response, exception) -> {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"nightjar\"");
            write(response, 401, ApiError.of(ErrorType.AUTHENTICATION, "invalid_token",
                    "Send a valid bearer token: Authorization: Bearer <access token from /oauth2/token>."));
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, exception) -> write(response, 403, ApiError.of(ErrorType.PERMISSION,
                "insufficient_scope", "The access token lacks the scope this request needs ("
                        + ("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
                        ? "payments:read" : "payments:write") + ")."));
    }

    private static void write(HttpServletResponse response, int status, ApiError error) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        Json.MAPPER.writeValue(response.getOutputStream(), new ErrorResponse(error));
    }
}
