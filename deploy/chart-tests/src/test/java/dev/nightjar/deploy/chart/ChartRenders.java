package dev.nightjar.deploy.chart;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart rendered once per {@link Combination} and shared by every test class in the JVM: Helm runs
 * six times for the whole suite, not once per test. A render that fails is kept as its failure, so each
 * test over it fails with Helm's message instead of the class failing to load.
 */
public final class ChartRenders {

    private ChartRenders() {
    }

    /** For {@code @MethodSource}: every combination. */
    public static Stream<Combination> combinations() {
        return Combination.all().stream();
    }

    /** The render of one combination, or an AssertionError carrying why Helm could not render it. */
    public static Render of(Combination combination) {
        Outcome outcome = Holder.OUTCOMES.get(combination);
        if (outcome.failure() != null) {
            throw new AssertionError("helm template failed for " + combination + ": " + outcome.failure().getMessage(),
                    outcome.failure());
        }
        return outcome.render();
    }

    /** Every combination's render; fails if any could not be rendered. */
    public static List<Render> all() {
        return Combination.all().stream().map(ChartRenders::of).toList();
    }

    private record Outcome(Render render, RuntimeException failure) {
    }

    /** Initialised on first use, once, by the JVM's class-initialisation lock; immutable after. */
    private static final class Holder {
        private static final Map<Combination, Outcome> OUTCOMES = renderAll();

        private static Map<Combination, Outcome> renderAll() {
            HelmChart chart = HelmChart.nightjar();
            Map<Combination, Outcome> outcomes = new LinkedHashMap<>();
            for (Combination combination : Combination.all()) {
                outcomes.put(combination, renderOne(chart, combination));
            }
            return Map.copyOf(outcomes);
        }

        private static Outcome renderOne(HelmChart chart, Combination combination) {
            try {
                String yaml = chart.template(combination);
                return new Outcome(new Render(combination, yaml, ManifestDocuments.parse(yaml)), null);
            } catch (RuntimeException e) {
                return new Outcome(null, e);
            }
        }
    }
}
