package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;

/**
 * A 503 {@code service_unavailable} with {@code Retry-After} in the contract's error shape, written by a filter
 * before anything else runs for the request (load shed, time spent): no handler, no error page, no work.
 */
public final class FastUnavailable {

    private FastUnavailable() {
    }

    public static void answer(HttpServletResponse response, String message) throws IOException {
        response.setStatus(503);
        response.setHeader(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(
                new ErrorResponse(ApiError.of(ErrorType.API, "service_unavailable", message))));
    }
}
