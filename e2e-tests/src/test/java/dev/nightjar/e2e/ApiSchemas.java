package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Holds the fleet's answers to the schemas of docs/openapi.json, the document merchants build against. */
final class ApiSchemas {

    private static final String BASE = "https://api.nightjar.dev/openapi.json";
    private static final SchemaRegistry REGISTRY;

    static {
        try {
            String document = Files.readString(Path.of("..", "docs", "openapi.json"));
            REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                    builder -> builder.schemas(Map.of(BASE, document)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ApiSchemas() {
    }

    /** Fails unless {@code json} is valid against {@code #/components/schemas/<schema>}. */
    static void assertMatches(String schema, String json) {
        assertThat(violations("/components/schemas/" + schema, json)).as("%s against schema %s", json, schema).isEmpty();
    }

    /** What is wrong with {@code json} against a schema of the document: a {@code $ref} into it, or one written inline. */
    static List<String> violations(tools.jackson.databind.JsonNode schema, String json) {
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith("#/")) {
            return violations(ref.substring(1), json);
        }
        try {
            return REGISTRY.getSchema(schema).validate(json, com.networknt.schema.InputFormat.JSON).stream()
                    .map(Error::toString).toList();
        } catch (RuntimeException e) {
            return List.of("not JSON: " + e.getClass().getSimpleName());
        }
    }

    /** What is wrong with {@code json} against the schema at {@code pointer} in the document (a JSON pointer). */
    static List<String> violations(String pointer, String json) {
        try {
            List<Error> errors = REGISTRY.getSchema(SchemaLocation.of(BASE + "#" + pointer))
                    .validate(json, com.networknt.schema.InputFormat.JSON);
            return errors.stream().map(Error::toString).toList();
        } catch (RuntimeException e) {
            return List.of("not JSON: " + e.getClass().getSimpleName());
        }
    }
}
