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
 * An error in the contract's shape, written by a filter before anything else runs for the request (a body too
 * large, a rate limit, load shed, time spent): no handler, no error page, no work.
 */
public final class FilterErrors {

    private FilterErrors() {
    }

    /** Answers {@code status} with {@code error}; headers set before this call go with it. */
    public static void answer(HttpServletResponse response, int status, ApiError error) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(Json.MAPPER.writeValueAsBytes(new ErrorResponse(error)));
    }

    /** A 503 {@code service_unavailable} with {@code Retry-After}. */
    public static void unavailable(HttpServletResponse response, String message) throws IOException {
        response.setHeader(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
        answer(response, 503, ApiError.of(ErrorType.API, "service_unavailable", message));
    }

    /** A 503 {@code service_unavailable} with {@code Retry-After} and {@link ApiException#BUSY}: shed, not away. */
    public static void busy(HttpServletResponse response, String message) throws IOException {
        response.setHeader(ApiException.BUSY, "true");
        unavailable(response, message);
    }
}
