package dev.nightjar.gateway.contract;

import com.networknt.schema.Error;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.logging.PanMasker;
import tools.jackson.databind.JsonNode;

/**
 * Turns a schema violation into the API's error: {@code param} is the field's path
 * ({@code payment_method.card.number}); the message names the rule, never the value. A path through a key
 * the client chose (a metadata key) is cut short before a key that holds anything but plain printable text.
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
                String named = safe(unknown);
                // a name that cannot be repeated is not: it could be anything, a card number included
                yield new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_unknown",
                        named.equals(unknown) ? "Received unknown parameter: " + unknown + "."
                                : "Received an unknown parameter" + (named.isEmpty() ? "" : " in " + named) + ".",
                        named.equals(unknown) ? unknown : null, null));
            }
            default -> {
                String safePath = safe(path);
                String param = safePath.isEmpty() ? null : safePath;
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
            case "propertyNames" -> "has a key of the wrong length (1 to 40 characters) or with control characters";
            case "not" -> controlCharacters(rule);
            default -> "is invalid (" + keyword + ")";
        };
    }

    /** The contract's two text rules: {@code not} a pattern of control characters, line breaks allowed or not. */
    private static String controlCharacters(JsonNode rule) {
        if (rule == null || !rule.has("pattern")) {
            return "is invalid (not)";
        }
        // the multi-line rule's class stops at \x08 so that tab and line feed stay allowed
        return rule.path("pattern").asString().contains("\\x08")
                ? "must not contain control characters other than tab, line feed and carriage return"
                : "must not contain control characters (tabs and line breaks included)";
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

    /**
     * {@code path} up to (not including) its first segment that may not be repeated in an answer: anything but
     * printable ASCII, longer than a key may be, or shaped like a card number. Field names of the API always pass.
     */
    static String safe(String path) {
        if (path == null || path.isEmpty()) {
            return "";
        }
        StringBuilder kept = new StringBuilder();
        for (String segment : path.split("\\.", -1)) {
            boolean printable = !segment.isEmpty() && segment.length() <= 40
                    && segment.chars().allMatch(c -> c >= 0x20 && c <= 0x7E);
            String longer = kept.isEmpty() ? segment : kept + "." + segment;
            if (!printable || PanMasker.containsPan(longer)) {
                break;
            }
            kept.setLength(0);
            kept.append(longer);
        }
        return kept.toString();
    }

    private static String join(String path, String property) {
        if (property == null || property.isEmpty()) {
            return path;
        }
        return path.isEmpty() ? property : path + "." + property;
    }
}
