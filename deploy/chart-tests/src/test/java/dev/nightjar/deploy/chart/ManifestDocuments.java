package dev.nightjar.deploy.chart;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Splits Helm's multi-document output into manifests, each named by the template it came from. */
public final class ManifestDocuments {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
    private static final Pattern SOURCE_COMMENT = Pattern.compile("(?m)^# Source: (\\S+)");

    /** Duplicate keys are an error, as in the API server's strict decoding; kubectl would keep the last silently. */
    private static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .build();

    private ManifestDocuments() {
    }

    public static List<Manifest> parse(String renderedYaml) {
        List<Manifest> manifests = new ArrayList<>();
        int index = 0;
        for (String document : DOCUMENT_SEPARATOR.split(renderedYaml)) {
            index++;
            JsonNode tree = readTree(document, index);
            if (tree == null || tree.isNull() || tree.isMissingNode()) {
                continue;
            }
            if (!tree.isObject()) {
                throw new IllegalArgumentException("document " + index + " is not a mapping: " + document);
            }
            manifests.add(new Manifest(sourceOf(document, index), tree));
        }
        return List.copyOf(manifests);
    }

    /** Parses one YAML document (a test fixture) into a manifest. */
    public static Manifest parseOne(String yaml) {
        List<Manifest> manifests = parse(yaml);
        if (manifests.size() != 1) {
            throw new IllegalArgumentException("expected one document, got " + manifests.size());
        }
        return manifests.getFirst();
    }

    public static YAMLMapper yaml() {
        return YAML;
    }

    private static JsonNode readTree(String document, int index) {
        try (JsonParser parser = YAML.createParser(document)) {
            return YAML.readTree(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("document " + index + " of the render is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static String sourceOf(String document, int index) {
        Matcher matcher = SOURCE_COMMENT.matcher(document);
        return matcher.find() ? matcher.group(1) : "document " + index;
    }
}
