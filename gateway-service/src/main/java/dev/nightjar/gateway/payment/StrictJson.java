package dev.nightjar.gateway.payment;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.web.JsonPaths;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads merchants' request bodies strictly: unknown fields, wrong types ("amount": "10"), fractions for
 * integers, duplicate keys and trailing garbage are all 400s naming the field. Nothing is coerced.
 */
public final class StrictJson {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {
    }

    public static <T> T read(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json", "The request body is empty."));
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json",
                        "The request body must be a JSON object."));
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String param = JsonPaths.of(e.getPath());
            throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_unknown",
                    "Received unknown parameter: " + param + ".", param, null));
        } catch (DatabindException e) {
            String param = JsonPaths.of(e.getPath());
            if (param.isEmpty()) {
                throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json",
                        "The request body must be a JSON object."));
            }
            throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid",
                    "Invalid type or value for " + param + ".", param, null));
        } catch (JacksonException e) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json",
                    "The request body is not valid JSON."));
        }
    }
}
