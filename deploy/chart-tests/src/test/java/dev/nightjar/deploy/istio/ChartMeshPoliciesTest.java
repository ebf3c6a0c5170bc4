package dev.nightjar.deploy.istio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.HelmChart;
import dev.nightjar.deploy.chart.Render;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The chart's mesh policies, as rendered with Istio on in every profile, are the ones {@link MeshPolicies} makes of
 * the call graph: the same specs as {@code deploy/istio/mesh-policies.yaml}, and the same answers as the
 * services' own filter for every caller, workload and path of the graph.
 */
class ChartMeshPoliciesTest {

    @Test
    void everyProfileWithIstioRendersThePoliciesOfTheCallGraph() throws IOException {
        Map<String, Object> expected = specsByKindAndName(MeshPoliciesTest.load(MeshPoliciesTest.MANIFESTS));
        List<Render> withIstio = ChartRenders.all().stream().filter(r -> r.combination().istioEnabled()).toList();

        assertThat(withIstio).isNotEmpty();
        for (Render render : withIstio) {
            List<Map<String, Object>> rendered = MeshPoliciesTest.load(render.yaml());
            assertThat(specsByKindAndName(rendered)).as(render.combination().toString()).isEqualTo(expected);
            assertThat(MeshPoliciesTest.disagreements(new IstioAuthorization(rendered), HelmChart.NAMESPACE,
                    MeshPoliciesTest.TRUST_DOMAIN)).as(render.combination().toString()).isEmpty();
        }
    }

    @Test
    void withoutIstioNoMeshPolicyIsRendered() {
        for (Render render : ChartRenders.all().stream().filter(r -> !r.combination().istioEnabled()).toList()) {
            assertThat(specsByKindAndName(MeshPoliciesTest.load(render.yaml()))).as(render.combination().toString()).isEmpty();
        }
    }

    /** The PeerAuthentications and AuthorizationPolicies, by kind and name, with their namespace and spec. */
    private static Map<String, Object> specsByKindAndName(List<Map<String, Object>> manifests) {
        Map<String, Object> specs = new TreeMap<>();
        for (Map<String, Object> manifest : manifests) {
            Object kind = manifest.get("kind");
            if ("PeerAuthentication".equals(kind) || "AuthorizationPolicy".equals(kind)) {
                Map<?, ?> metadata = (Map<?, ?>) manifest.get("metadata");
                specs.put(kind + "/" + metadata.get("namespace") + "/" + metadata.get("name"), manifest.get("spec"));
            }
        }
        return specs;
    }
}
