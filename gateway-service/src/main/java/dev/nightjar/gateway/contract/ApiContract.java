package dev.nightjar.gateway.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The merchant API's contract, {@code openapi.json} (from docs/, copied onto the class path): served as it
 * is, and the judge of every request body. A body is parsed strictly (duplicate keys, trailing garbage
 * refused), checked against its schema (the first violation is a 400 naming the field, with a message
 * that never repeats the value, since it might be a card number), then bound without any coercion.
 */
public final class ApiContract {

    private static final String BASE = "https://api.nightjar.dev/openapi.json";

    private static final JsonMapper STRICT = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final byte[] document;
    private final JsonNode root;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private ApiContract(byte[] document) {
        this.document = document;
        this.root = STRICT.readTree(document);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(BASE, root.toString())));
    }

    public static ApiContract load() {
        try (InputStream in = ApiContract.class.getResourceAsStream("/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the gateway's class path");
            }
            return new ApiContract(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The document, byte for byte. */
    public byte[] document() {
        return document.clone();
    }

    public JsonNode root() {
        return root;
    }

    /** Parses, validates against {@code #/components/schemas/<schema>} and binds a request body. */
    public <T> T read(byte[] body, String schema, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json", "The request body is empty."));
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json",
                    "The request body is not valid JSON (or repeats a key)."));
        }
        return bind(validate(tree, schema), type);
    }

    /** An optional body: absent or empty means {@code {}}. */
    public <T> T readOptional(byte[] body, String schema, Class<T> type) {
        return body == null || body.length == 0 ? bind(validate(STRICT.createObjectNode(), schema), type)
                : read(body, schema, type);
    }

    private JsonNode validate(JsonNode tree, String schema) {
        List<Error> errors = schema(schema).validate(tree);
        if (!errors.isEmpty()) {
            throw SchemaViolations.toApiException(errors.get(0));
        }
        return tree;
    }

    private static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "parameter_invalid",
                    "The request body does not match the API."));
        }
    }

    private Schema schema(String name) {
        return schemas.computeIfAbsent(name, key -> registry.getSchema(
                SchemaLocation.of(BASE + "#/components/schemas/" + key)));
    }
}
