package dev.nightjar.deploy.schema;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.nightjar.deploy.chart.Manifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a rendered manifest into the typed model of its API type, as strictly as the API server's
 * {@code fieldValidation=Strict}: an unknown field at any depth, a scalar of the wrong type (no
 * string-to-number, number-to-string or number-to-boolean coercion), an unknown enum constant or
 * polymorphic type, or an unknown kind is a violation.
 */
public final class StrictManifestReader {

    /** Per-read attributes: where unknown fields are recorded, and the manifest they are in. */
    static final String SINK = "nightjar.violations";
    static final String MANIFEST = "nightjar.manifest";

    private final ObjectMapper mapper;

    public StrictManifestReader() {
        this.mapper = strictMapper();
    }

    /** Every violation of one manifest; empty when it is a valid object of a known API type. */
    public List<Violation> violations(Manifest manifest) {
        String apiVersion = manifest.apiVersion();
        String kind = manifest.kind();
        Optional<Class<?>> type = KnownApiTypes.lookup(apiVersion, kind);
        if (type.isEmpty()) {
            return List.of(new Violation(manifest.describe(), "",
                    "unknown API type '" + kind + "' of apiVersion '" + apiVersion + "'; known: " + KnownApiTypes.names()));
        }
        List<Violation> unknownFields = new ArrayList<>();
        try {
            // One mapper for every manifest keeps its deserializer cache; the sink travels as a per-read attribute.
            mapper.readerFor(type.get())
                    .withAttribute(SINK, unknownFields)
                    .withAttribute(MANIFEST, manifest.describe())
                    .readValue(manifest.tree());
        } catch (JsonMappingException e) {
            unknownFields.add(new Violation(manifest.describe(), pointerOf(e), firstLine(e.getOriginalMessage())));
        } catch (IOException e) {
            unknownFields.add(new Violation(manifest.describe(), "", firstLine(e.getMessage())));
        }
        return List.copyOf(unknownFields);
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new StrictIntrospector())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .addHandler(new UnknownFieldRecorder())
                .build();
        // "3" is no integer, 3 is no string, 1 is no boolean: the API server refuses each.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        for (LogicalType scalar : List.of(LogicalType.Integer, LogicalType.Float, LogicalType.Boolean)) {
            mapper.coercionConfigFor(scalar)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        return mapper;
    }

    private static String pointerOf(JsonMappingException e) {
        StringBuilder pointer = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            pointer.append('/');
            pointer.append(reference.getFieldName() != null ? reference.getFieldName() : Integer.toString(reference.getIndex()));
        }
        return pointer.toString();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Records an unknown field with where it is, skips its value and reads on, so one pass finds them all. */
    private static final class UnknownFieldRecorder extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext deserialization, JsonParser parser,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            // On an object or array value the parser has already entered it: the field is named one level up.
            JsonStreamContext context = parser.getParsingContext();
            if (parser.currentToken() != null && parser.currentToken().isStructStart() && context.getParent() != null) {
                context = context.getParent();
            }
            Class<?> owner = beanOrClass instanceof Class<?> type ? type : beanOrClass.getClass();
            @SuppressWarnings("unchecked")
            List<Violation> sink = (List<Violation>) deserialization.getAttribute(SINK);
            sink.add(new Violation((String) deserialization.getAttribute(MANIFEST), context.pathAsPointer().toString(),
                    "unknown field '" + propertyName + "' (not in " + owner.getSimpleName() + ")"));
            parser.skipChildren();
            return true;
        }
    }
}
