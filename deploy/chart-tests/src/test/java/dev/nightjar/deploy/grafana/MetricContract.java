package dev.nightjar.deploy.grafana;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The metric names the dashboards may query: deploy/grafana/metrics.txt, the services' metrics contract. */
final class MetricContract {

    private static final Pattern METRIC_NAME = Pattern.compile("[a-z_:][a-z0-9_:]*");

    private MetricContract() {
    }

    static Path file() {
        return Dashboards.directory().resolve("metrics.txt");
    }

    /** The names, one a line, '#' comments and blank lines skipped; a malformed line fails. */
    static Set<String> names() {
        try {
            Set<String> names = new TreeSet<>();
            for (String line : Files.readAllLines(file())) {
                String name = line.replaceFirst("#.*", "").strip();
                if (name.isEmpty()) {
                    continue;
                }
                if (!METRIC_NAME.matcher(name).matches()) {
                    throw new IllegalStateException(file() + ": not a metric name: '" + line + "'");
                }
                names.add(name);
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
