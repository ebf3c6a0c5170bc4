package dev.nightjar.gateway.security;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Requests Spring Security's firewall refuses (an encoded slash, {@code ..} or {@code ;} in the URL, a control
 * character in a header it is asked for) as a 400 in the API's shape. The header at fault is named when it is
 * one the API reads. The firewall's own message repeats the offending value, so it is neither logged nor
 * answered: it could be anything, a card number included. Rejections inside the security filters come to
 * {@link #handle}; those when a controller reads a header come to {@link #rejected}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class RejectedRequests implements RequestRejectedHandler {

    private static final List<String> NAMED_HEADERS = List.of("Idempotency-Key", "Authorization", "Content-Type");

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejection)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(400);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        Json.MAPPER.writeValue(response.getOutputStream(), new ErrorResponse(error(request)));
    }

    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ErrorResponse> rejected(HttpServletRequest request) {
        return ResponseEntity.status(400).contentType(MediaType.APPLICATION_JSON).body(new ErrorResponse(error(request)));
    }

    private static ApiError error(HttpServletRequest request) {
        HttpServletRequest raw = unwrapped(request);
        for (String header : NAMED_HEADERS) {
            for (String value : Collections.list(raw.getHeaders(header))) {
                if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c <= 0x7E))) {
                    return new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid",
                            header + " must be printable ASCII.", header, null);
                }
            }
        }
        return ApiError.of(ErrorType.INVALID_REQUEST, "malformed_request", "The request's URL or one of its headers holds"
                + " characters or sequences that are not allowed (control characters, an encoded slash, .. or ;).");
    }

    /** The request as the container received it, under the firewall's wrapper, which refuses to show the header. */
    private static HttpServletRequest unwrapped(HttpServletRequest request) {
        ServletRequest inner = request;
        while (inner instanceof ServletRequestWrapper wrapper) {
            inner = wrapper.getRequest();
        }
        return inner instanceof HttpServletRequest http ? http : request;
    }
}
