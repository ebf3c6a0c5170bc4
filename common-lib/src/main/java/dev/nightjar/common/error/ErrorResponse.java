package dev.nightjar.common.error;

/** The error body every Nightjar HTTP API answers with. */
public record ErrorResponse(ApiError error) {
}
