package dev.nightjar.common.error;

import java.util.Map;

/**
 * An error with its HTTP status and body, thrown anywhere in request handling and rendered by
 * {@link ApiExceptionHandler}. Never carries a card number in its message.
 */
public class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ApiError error;
    private final transient Map<String, String> headers;

    public ApiException(int status, ApiError error) {
        this(status, error, Map.of());
    }

    public ApiException(int status, ApiError error, Map<String, String> headers) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public ApiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** 400 naming the offending parameter. */
    public static ApiException invalidParameter(String param, String message) {
        return new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid", message, param, null));
    }

    /** 400 for a required parameter that is absent. */
    public static ApiException missingParameter(String param) {
        return new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_missing",
                "Missing required parameter: " + param + ".", param, null));
    }

    /** 404 for a resource that does not exist or belongs to someone else. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(404, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "resource_missing",
                "No such " + what + ": '" + id + "'", "id", null));
    }

    /** 409 for a transition the current state does not allow. */
    public static ApiException unexpectedState(String what, String currentStatus, String attempted) {
        return new ApiException(409, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "payment_unexpected_state",
                "This " + what + " has a status of " + currentStatus + ", so it cannot be " + attempted + ".", null, null));
    }

    public static ApiException permissionDenied(String message) {
        return new ApiException(403, ApiError.of(ErrorType.PERMISSION, "permission_denied", message));
    }

    /** The header and value every 503 carries: try again in a second. */
    public static final String RETRY_AFTER = "Retry-After";
    public static final String RETRY_AFTER_SECONDS = "1";

    /**
     * The header a 503 carries when the service shed the request at once because it was already working on as
     * many as it answers quickly: it is up, and did nothing for this request. Callers count such an answer
     * neither as the service failing nor as it answering ({@code Availability}), and pass it on with the 503.
     */
    public static final String BUSY = "Nightjar-Busy";

    /** 503 with {@code Retry-After}: a dependency is away for a moment; the same request may be sent again. */
    public static ApiException unavailable(String message) {
        return new ApiException(503, ApiError.of(ErrorType.API, "service_unavailable", message),
                Map.of(RETRY_AFTER, RETRY_AFTER_SECONDS));
    }

    /** 503 with {@code Retry-After} and {@link #BUSY}: shed at once, the service up and nothing done. */
    public static ApiException busy(String message) {
        return new ApiException(503, ApiError.of(ErrorType.API, "service_unavailable", message),
                Map.of(RETRY_AFTER, RETRY_AFTER_SECONDS, BUSY, "true"));
    }
}
