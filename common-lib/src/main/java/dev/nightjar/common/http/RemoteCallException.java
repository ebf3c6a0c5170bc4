package dev.nightjar.common.http;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;

/**
 * A call to another Nightjar service answered with an error. A 4xx keeps its status and body, so the
 * caller's caller sees the same error; anything else becomes a 502 that names the service.
 */
public final class RemoteCallException extends ApiException {

    private static final long serialVersionUID = 1L;

    private final String service;
    private final int remoteStatus;

    public RemoteCallException(String service, int remoteStatus, ApiError remoteError) {
        super(effectiveStatus(remoteStatus), effectiveError(service, remoteStatus, remoteError));
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

    private static int effectiveStatus(int remoteStatus) {
        return remoteStatus >= 400 && remoteStatus < 500 ? remoteStatus : 502;
    }

    private static ApiError effectiveError(String service, int remoteStatus, ApiError remoteError) {
        if (remoteStatus >= 400 && remoteStatus < 500 && remoteError != null) {
            return remoteError;
        }
        return ApiError.of(ErrorType.API, "upstream_error", "An internal service (" + service + ") failed; try again later.");
    }
}
