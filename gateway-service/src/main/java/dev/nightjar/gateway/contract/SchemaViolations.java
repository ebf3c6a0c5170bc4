package dev.nightjar.gateway.contract;

import com.networknt.schema.Error;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import tools.jackson.databind.JsonNode;

/**
 * Turns a schema violation into the API's error: {@code param} is the field's path
 * ({@code payment_method.card.number}); the message names the rule, never the value.
 */
final class SchemaViolations {

    private SchemaViolations() {
    }

    static ApiException toApiException(Error error) {
        String path = path(error.getInstanceLocation().toString());
        String keyword = error.getKeyword() == null ? "" : error.getKeyword();
        JsonNode rule = error.getSchemaNode();
        return switch (keyword) {
            case "required" -> {
                String missing = join(path, error.getProperty());
                yield new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_missing",
                        "Missing required parameter: " + missing + ".", missing, null));
            }
            case "additionalProperties" -> {
                String unknown = join(path, error.getProperty());
                yield new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_unknown",
                        "Received unknown parameter: " + unknown + ".", unknown, null));
            }
            default -> {
                String param = path.isEmpty() ? null : path;
                String subject = param == null ? "The request body" : param;
                yield new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid",
                        subject + " " + rule(keyword, rule) + ".", param, null));
            }
        };
    }

    private static String rule(String keyword, JsonNode rule) {
        return switch (keyword) {
            case "type" -> "must be of type " + text(rule);
            case "minimum" -> "must be at least " + text(rule);
            case "maximum" -> "must be at most " + text(rule);
            case "minLength" -> "must be at least " + text(rule) + " characters long";
            case "maxLength" -> "may be at most " + text(rule) + " characters long";
            case "pattern" -> "does not have the required format";
            case "enum" -> "must be one of " + text(rule);
            case "const" -> "must be " + text(rule);
            case "maxProperties" -> "may have at most " + text(rule) + " keys";
            case "minItems" -> "must have at least " + text(rule) + " items";
            case "maxItems" -> "may have at most " + text(rule) + " items";
            case "uniqueItems" -> "must not repeat an item";
            case "propertyNames" -> "has a key of the wrong length (1 to 40 characters)";
            default -> "is invalid (" + keyword + ")";
        };
    }

    private static String text(JsonNode node) {
        if (node == null) {
            return "?";
        }
        return node.isValueNode() ? node.asString() : node.toString();
    }

    /** {@code $.payment_method.card.number} or {@code /payment_method/card/number} to {@code payment_method.card.number}. */
    static String path(String location) {
        String path = location == null ? "" : location.trim();
        if (path.startsWith("$")) {
            path = path.substring(1);
        }
        path = path.replace('/', '.');
        while (path.startsWith(".")) {
            path = path.substring(1);
        }
        return path;
    }

    private static String join(String path, String property) {
        if (property == null || property.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? property : path + "." + property;
    }
}
