package dev.nightjar.common.error;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The inside of every error body: {@code {"error": {"type", "code", "message", "param", "decline_code"}}}. Absent fields are omitted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String type, String code, String message, String param, String declineCode) {

    public static ApiError of(ErrorType type, String code, String message) {
        return new ApiError(type.wireName(), code, message, null, null);
    }

    public ApiError withParam(String parameter) {
        return new ApiError(type, code, message, parameter, declineCode);
    }
}
