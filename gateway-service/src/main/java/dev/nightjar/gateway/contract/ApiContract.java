package dev.nightjar.gateway.contract;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.text.FreeText;
import dev.nightjar.common.web.JsonPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.MissingNode;

/**
 * The merchant API's contract, {@code openapi.json} (from docs/, copied onto the class path): served as it
 * is, and the judge of every request body. A body must be UTF-8 without a byte order mark; it is parsed
 * strictly (duplicate keys, trailing garbage, more than {@value #MAX_NESTING} levels of nesting refused),
 * checked against its schema (the first violation is a 400 naming the field, with a message that never
 * repeats the value, since it might be a card number), its every string and key held to {@link FreeText}
 * (no control characters, unpaired surrogates or card numbers outside card fields), then bound without any
 * coercion. All of it before anything is written anywhere.
 */
public final class ApiContract {

    private static final String BASE = "https://api.nightjar.dev/openapi.json";

    /** Deeper than any request schema (three levels) needs, shallow enough that no parse or walk can be made costly. */
    static final int MAX_NESTING = 32;
    /** Digits in a number: an amount has at most 8; more only makes parsing work. */
    static final int MAX_NUMBER_LENGTH = 100;

    private static final JsonMapper STRICT = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING).maxNumberLength(MAX_NUMBER_LENGTH).build())
                    .build())
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
    private final List<Operation> operations;

    /**
     * A documented operation and what it reads besides its body.
     *
     * @param path            the path template, as Spring MVC and the document both write it ({@code /v1/payments/{id}})
     * @param queryParameters the query parameters it documents; any other is refused
     * @param idempotencyKey  whether it takes an {@code Idempotency-Key}
     * @param body            whether it takes a request body
     */
    public record Operation(String method, String path, PathPattern pattern, Set<String> queryParameters,
                            boolean idempotencyKey, boolean body) {
    }

    private ApiContract(byte[] document) {
        this.document = document;
        this.root = STRICT.readTree(document);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(BASE, root.toString())));
        this.operations = operations(root);
    }

    private static List<Operation> operations(JsonNode root) {
        PathPatternParser parser = new PathPatternParser();
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : root.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                Set<String> query = new java.util.HashSet<>();
                boolean idempotencyKey = false;
                for (JsonNode parameter : method.getValue().path("parameters")) {
                    String name = parameter.path("name").asString();
                    if ("query".equals(parameter.path("in").asString())) {
                        query.add(name);
                    } else if ("header".equals(parameter.path("in").asString()) && "Idempotency-Key".equals(name)) {
                        idempotencyKey = true;
                    }
                }
                operations.add(new Operation(method.getKey().toUpperCase(Locale.ROOT), path.getKey(),
                        parser.parse(path.getKey()), Set.copyOf(query), idempotencyKey,
                        method.getValue().has("requestBody")));
            }
        }
        return List.copyOf(operations);
    }

    /** The operation documented for a method (HEAD counts as GET) and a path template, if there is one. */
    public Optional<Operation> operation(String method, String pathTemplate) {
        String documented = "HEAD".equals(method) ? "GET" : method;
        return operations.stream()
                .filter(operation -> operation.method().equals(documented) && operation.path().equals(pathTemplate))
                .findFirst();
    }

    /** Whether a request's method (HEAD counts as GET) and path are one of the document's operations. */
    public boolean documents(String method, String requestPath) {
        String documented = "HEAD".equals(method) ? "GET" : method;
        PathContainer path = PathContainer.parsePath(requestPath);
        return operations.stream().anyMatch(operation -> operation.method().equals(documented)
                && operation.pattern().matches(path));
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

    /** Parses, validates against {@code #/components/schemas/<schema>}, checks its text and binds a request body. */
    public <T> T read(byte[] body, String schema, Class<T> type) {
        if (body == null || body.length == 0) {
            throw invalidJson("The request body is empty.");
        }
        JsonNode tree;
        try {
            // parsed from text, never from bytes: Jackson would take UTF-16 or UTF-32 bytes for JSON too
            tree = STRICT.readTree(utf8(body));
        } catch (StreamConstraintsException e) {
            throw invalidJson("The request body is nested more than " + MAX_NESTING + " levels deep or holds a number"
                    + " of more than " + MAX_NUMBER_LENGTH + " digits.");
        } catch (JacksonException e) {
            throw invalidJson("The request body is not valid JSON (or repeats a key).");
        }
        validate(tree, schema);
        checkText(tree, schema);
        return bind(tree, type);
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

    /** The body as text: UTF-8 strictly (no overlong forms, no encoded surrogates), without a byte order mark. */
    private static String utf8(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalidJson("The request body is not valid UTF-8.");
        }
        if (text.startsWith("\uFEFF")) {
            throw invalidJson("The request body starts with a byte order mark; send UTF-8 without one.");
        }
        return text;
    }

    /**
     * Every string of the body and every key, walked with its schema: free text (a string the schema leaves open,
     * no pattern, enum or const, and the keys of a map such as metadata) must hold no card number; no string may
     * hold control characters other than tab, line feed and carriage return, nor unpaired surrogates. The schema
     * forbids line breaks in single-line fields itself; this walk is the rule for all the rest, fields added
     * later included. Identifiers and card numbers have patterns, so a token id with a run of zeros is not taken
     * for a card number.
     */
    private void checkText(JsonNode tree, String schema) {
        record Pending(String path, JsonNode node, JsonNode schema) {
        }
        Deque<Pending> pending = new ArrayDeque<>();
        pending.push(new Pending("", tree, resolve(root.at("/components/schemas/" + schema))));
        while (!pending.isEmpty()) {
            Pending next = pending.pop();
            JsonNode node = next.node();
            JsonNode rules = next.schema();
            if (node.isObject()) {
                JsonNode map = rules.path("additionalProperties");
                for (Map.Entry<String, JsonNode> property : node.properties()) {
                    JsonNode declared = rules.path("properties").path(property.getKey());
                    if (declared.isMissingNode()) {
                        // a key the client chose (the schema admitted it): free text
                        FreeText.Problem key = FreeText.problem(property.getKey(), FreeText.Lines.SINGLE);
                        if (key != null) {
                            String param = SchemaViolations.safe(next.path());
                            throw ApiException.invalidParameter(param.isEmpty() ? null : param,
                                    "A key in " + (param.isEmpty() ? "the request body" : param) + " " + key.message() + ".");
                        }
                    }
                    String path = next.path().isEmpty() ? property.getKey() : next.path() + "." + property.getKey();
                    pending.push(new Pending(path, property.getValue(),
                            resolve(declared.isMissingNode() ? (map.isObject() ? map : MissingNode.getInstance()) : declared)));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    pending.push(new Pending(next.path() + "." + i, node.get(i), resolve(rules.path("items"))));
                }
            } else if (node.isString()) {
                boolean freeText = !rules.has("pattern") && !rules.has("enum") && !rules.has("const") && !rules.has("format");
                FreeText.Problem problem = freeText ? FreeText.problem(node.stringValue(), FreeText.Lines.MULTI)
                        : FreeText.characterProblem(node.stringValue(), FreeText.Lines.MULTI);
                if (problem != null) {
                    String param = SchemaViolations.safe(next.path());
                    throw ApiException.invalidParameter(param, param + " " + problem.message() + ".");
                }
            }
        }
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            resolved = root.at(resolved.path("$ref").asString().substring(1));
        }
        return resolved;
    }

    private static <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return STRICT.treeToValue(tree, type);
        } catch (DatabindException e) {
            // the schema passed, so what is left is a number with a fraction or an exponent where an integer goes
            String param = SchemaViolations.safe(JsonPaths.of(e.getPath()));
            throw ApiException.invalidParameter(param.isEmpty() ? null : param, (param.isEmpty() ? "A value" : param)
                    + " must be an integer written without a fraction or an exponent.");
        } catch (JacksonException e) {
            throw new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "parameter_invalid",
                    "The request body does not match the API."));
        }
    }

    private static ApiException invalidJson(String message) {
        return new ApiException(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json", message));
    }

    private Schema schema(String name) {
        return schemas.computeIfAbsent(name, key -> registry.getSchema(
                SchemaLocation.of(BASE + "#/components/schemas/" + key)));
    }
}
