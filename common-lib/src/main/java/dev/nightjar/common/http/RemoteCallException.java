package dev.nightjar.common.http;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;

/**
 * A call to another Nightjar service answered with an error. A 4xx keeps its status and body, so the
 * caller's caller sees the same error; a 503 (the service or one of its dependencies is away for a moment)
 * stays a 503 with its error and {@code Retry-After}; a 502 keeps the error that names what failed (the
 * acquirer, or a service further on); anything else becomes a 502 that names the service. A 503 that said the
 * service was busy ({@link ApiException#BUSY}) says so again when passed on.
 */
public final class RemoteCallException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String service;
    private final int remoteStatus;
    private final boolean busy;

    public RemoteCallException(String service, int remoteStatus, ApiError remoteError) {
        this(service, remoteStatus, remoteError, false);
    }

    /** {@code busy}: the answer carried {@link ApiException#BUSY}; it counts only on a 503. */
    public RemoteCallException(String service, int remoteStatus, ApiError remoteError, boolean busy) {
        super(effectiveStatus(remoteStatus), effectiveError(service, remoteStatus, remoteError),
                remoteStatus != 503 ? java.util.Map.of()
                        : busy ? java.util.Map.of(RETRY_AFTER, RETRY_AFTER_SECONDS, BUSY, "true")
                        : java.util.Map.of(RETRY_AFTER, RETRY_AFTER_SECONDS));
        this.service = service;
        this.remoteStatus = remoteStatus;
        this.busy = busy && remoteStatus == 503;
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

    /**
     * True when the called service (or one further on) shed the request at once with a 503 because it was
     * working on as many as it could: up, and nothing done for this request.
     */
    public boolean isBusy() {
        return busy;
    }

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
