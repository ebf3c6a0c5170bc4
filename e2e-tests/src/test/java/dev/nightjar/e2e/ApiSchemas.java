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
        List<Error> errors = REGISTRY.getSchema(SchemaLocation.of(BASE + "#/components/schemas/" + schema))
                .validate(json, com.networknt.schema.InputFormat.JSON);
        assertThat(errors).as("%s against schema %s", json, schema).isEmpty();
    }
}
