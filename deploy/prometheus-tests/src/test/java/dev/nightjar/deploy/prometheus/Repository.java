package dev.nightjar.deploy.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/** Where the rules, their promtool tests, the runbooks and the chart's copy of the rules are in the repository. */
final class Repository {

    static final Path ROOT = Path.of(System.getProperty("nightjar.repository", "../..")).toAbsolutePath().normalize();
    static final Path RULES = ROOT.resolve("deploy/prometheus/rules");
    static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/tests");
    static final Path RUNBOOKS = ROOT.resolve("docs/runbooks");
    static final Path CHART = ROOT.resolve("deploy/helm/nightjar");
    static final Path CHART_RULES = CHART.resolve("files/prometheus");
    static final Path PACKAGES_SCRIPT = ROOT.resolve("bin/observability-packages.sh");

    private Repository() {
    }

    /** The {@code *.yaml} files directly in {@code directory}, by name. */
    static List<Path> yamlFiles(Path directory) {
        return filesEndingWith(directory, ".yaml");
    }

    /** What {@code reader} finds in each YAML file of {@code directory}, file after file. */
    static <T> List<T> readEachYamlFile(Path directory, BiFunction<Path, JsonNode, List<T>> reader) {
        return yamlFiles(directory).stream().flatMap(file -> reader.apply(file, Yaml.read(file)).stream()).toList();
    }

    static List<Path> filesEndingWith(Path directory, String suffix) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
