package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorType;

/**
 * The error body for a bare HTTP status: where no code of ours decided the answer (Tomcat refused the
 * request before any servlet saw it, or a filter only set a status). Messages name the problem, never the input.
 */
public final class StatusErrors {

    private StatusErrors() {
    }

    public static ApiError forStatus(int status) {
        return switch (status) {
            case 400 -> invalid("malformed_request",
                    "The request is malformed: its request line, URL, a header or the framing of its body.");
            case 401 -> ApiError.of(ErrorType.AUTHENTICATION, "unauthenticated", "Authentication is required.");
            case 403 -> ApiError.of(ErrorType.PERMISSION, "forbidden", "This request is not allowed.");
            case 404 -> invalid("resource_missing", "Unrecognized request URL.");
            case 405 -> invalid("method_not_allowed", "This method is not allowed here; the Allow header lists those that are.");
            case 406 -> invalid("not_acceptable", "Responses are application/json.");
            case 408 -> invalid("request_timeout", "The request did not arrive in time.");
            case 411 -> invalid("length_required", "A request with a body must declare its length or be chunked.");
            case 413 -> invalid("request_too_large", "The request body is too large.");
            case 414 -> invalid("uri_too_long", "The URL is too long.");
            case 415 -> invalid("unsupported_media_type", "Content-Type must be application/json.");
            case 417 -> invalid("expectation_failed", "The Expect header can only be 100-continue.");
            case 429 -> ApiError.of(ErrorType.RATE_LIMIT, "rate_limit_exceeded", "Too many requests; retry after Retry-After seconds.");
            case 431 -> invalid("request_header_too_large", "A request header, or the headers together, are larger than 16 KiB.");
            case 503 -> ApiError.of(ErrorType.API, "service_unavailable",
                    "A service Nightjar depends on is unavailable for a moment; try again shortly.");
            default -> status < 500 ? invalid("invalid_request", "The request was refused.")
                    : ApiError.of(ErrorType.API, "internal_error", "An unexpected error occurred; it has been logged.");
        };
    }

    private static ApiError invalid(String code, String message) {
        return ApiError.of(ErrorType.INVALID_REQUEST, code, message);
    }
}
