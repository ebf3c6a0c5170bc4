package dev.nightjar.common.http;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;

/**
 * A call to another Nightjar service answered with an error. A 4xx keeps its status and body, so the
 * caller's caller sees the same error; a 503 (the service or one of its dependencies is away for a moment)
 * stays a 503 with its error and {@code Retry-After}; a 502 keeps the error that names what failed (the
 * acquirer, or a service further on); anything else becomes a 502 that names the service.
 */
public final class RemoteCallException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String service;
    private final int remoteStatus;

    public RemoteCallException(String service, int remoteStatus, ApiError remoteError) {
        super(effectiveStatus(remoteStatus), effectiveError(service, remoteStatus, remoteError),
                remoteStatus == 503 ? java.util.Map.of(RETRY_AFTER, RETRY_AFTER_SECONDS) : java.util.Map.of());
        this.service = service;
        this.remoteStatus = remoteStatus;
    }

    public String service() {
        return service;
    }

    public int remoteStatus() {
        return remoteStatus;
    }

    public boolean isClientError() {
        return remoteStatus >= 400 && remoteStatus < 500;
    }

    /**
     * True when the called service answered that the acquirer, not the service, could not act (its error code
     * {@code acquirer_…}): the service itself is up and answering.
     */
    public boolean concernsTheAcquirer() {
        return remoteStatus >= 500 && error().code().startsWith(ACQUIRER_CODES);
    }

    private static final String ACQUIRER_CODES = "acquirer_";

    /** True when the called service said it is temporarily unavailable (503). */
    public boolean isUnavailable() {
        return remoteStatus == 503;
    }

    private static int effectiveStatus(int remoteStatus) {
        return remoteStatus >= 400 && remoteStatus < 500 || remoteStatus == 503 ? remoteStatus : 502;
    }

    private static ApiError effectiveError(String service, int remoteStatus, ApiError remoteError) {
        if ((remoteStatus >= 400 && remoteStatus < 500 || remoteStatus == 502 || remoteStatus == 503) && remoteError != null) {
            return remoteError;
        }
        if (remoteStatus == 503) {
            return ApiError.of(ErrorType.API, "service_unavailable",
                    "A service Nightjar depends on (" + service + ") is unavailable for a moment; try again shortly.");
        }
        return ApiError.of(ErrorType.API, "upstream_error", "An internal service (" + service + ") failed; try again later.");
    }
}
