package dev.nightjar.deploy.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The Nightjar chart on disk, rendered and linted by real Helm 3 (helm-java). */
public final class HelmChart {

    public static final String RELEASE_NAME = "nightjar";
    public static final String NAMESPACE = "nightjar";

    private final Path chartDirectory;

    private HelmChart(Path chartDirectory) {
        this.chartDirectory = chartDirectory;
    }

    /** The chart the build points at ({@code nightjar.chart.dir}), else the one beside this module. */
    public static HelmChart nightjar() {
        String configured = System.getProperty("nightjar.chart.dir");
        Path directory = configured != null ? Path.of(configured) : Path.of("..", "helm", "nightjar");
        return new HelmChart(directory.toAbsolutePath().normalize());
    }

    public Path directory() {
        return chartDirectory;
    }

    public Path profileFile(Profile profile) {
        return chartDirectory.resolve("profiles").resolve(profile.fileName());
    }

    public LintResult lintStrict() {
        return new Helm(chartDirectory).lint().strict().call();
    }

    /** {@code helm template} for one combination; Helm's error (schema, template) is thrown as is. */
    public String template(Combination combination) {
        return template(combination, Map.of());
    }

    /** As {@link #template(Combination)}, with further {@code --set key=value} pairs. */
    public String template(Combination combination, Map<String, String> extraSets) {
        Path profile = profileFile(combination.profile());
        if (!Files.isRegularFile(profile)) {
            throw new IllegalStateException("no profile file " + profile);
        }
        TemplateCommand command = new Helm(chartDirectory).template()
                .withName(RELEASE_NAME)
                .withNamespace(NAMESPACE)
                .withValuesFile(profile)
                .set("istio.enabled", Boolean.toString(combination.istioEnabled()));
        for (Map.Entry<String, String> set : extraSets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command.call();
    }
}
