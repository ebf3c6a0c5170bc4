package dev.nightjar.deploy.chart;

import java.util.List;

/** What one {@code helm template} produced for one combination, parsed into manifests. */
public record Render(Combination combination, String yaml, List<Manifest> manifests) {

    public List<Manifest> ofKind(String kind) {
        return manifests.stream().filter(manifest -> manifest.is(kind)).toList();
    }

}
