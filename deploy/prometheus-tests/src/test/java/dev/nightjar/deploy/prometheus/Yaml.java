package dev.nightjar.deploy.prometheus;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** YAML read as Prometheus reads it: a duplicate key is an error, not the last one winning. */
final class Yaml {

    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .build();

    private Yaml() {
    }

    static JsonNode read(Path file) {
        return read(Repository.read(file), file.toString());
    }

    static JsonNode read(String yaml, String source) {
        try {
            return MAPPER.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(source + " is not valid YAML: " + e.getMessage(), e);
        }
    }
}
