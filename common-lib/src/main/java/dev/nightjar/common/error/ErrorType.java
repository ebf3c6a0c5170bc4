package dev.nightjar.common.error;

/** The error types of the merchant API; every error body names one. */
public enum ErrorType {
    INVALID_REQUEST("invalid_request_error"),
    AUTHENTICATION("authentication_error"),
    PERMISSION("permission_error"),
    IDEMPOTENCY("idempotency_error"),
    RATE_LIMIT("rate_limit_error"),
    API("api_error");

    private final String wireName;

    ErrorType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
