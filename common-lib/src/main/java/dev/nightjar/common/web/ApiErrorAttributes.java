package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.error.DefaultErrorAttributes;
import org.springframework.web.context.request.WebRequest;

/**
 * The error attributes Spring Boot renders where {@link ApiErrorController} does not answer (the management
 * server's error endpoint): the API's error body instead of {@code timestamp, status, error, path}.
 */
public class ApiErrorAttributes extends DefaultErrorAttributes {

    @Override
    public Map<String, Object> getErrorAttributes(WebRequest request, ErrorAttributeOptions options) {
        Object status = super.getErrorAttributes(request, ErrorAttributeOptions.defaults()).get("status");
        ApiErrorController.Answer answer = ApiErrorController.answer(status instanceof Integer code ? code : 500,
                getError(request));
        return Map.of("error", fields(answer.error()));
    }

    /** The body's fields by their wire names, absent ones left out, whatever JSON mapper writes them. */
    private static Map<String, Object> fields(ApiError error) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", error.type());
        if (error.code() != null) {
            fields.put("code", error.code());
        }
        fields.put("message", error.message());
        if (error.param() != null) {
            fields.put("param", error.param());
        }
        if (error.declineCode() != null) {
            fields.put("decline_code", error.declineCode());
        }
        return fields;
    }
}
