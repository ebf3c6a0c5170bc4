package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.CallGraph;
import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart keeps its own copy of the call graph for the NetworkPolicies ({@code nightjar.fleet} in
 * {@code _helpers.tpl}); the rendered policies must let exactly the call graph's edges through between the
 * fleet's workloads, no more (a forgotten deny) and no fewer (a broken payment path).
 */
class CallGraphNetworkPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void theNetworkPoliciesLetThroughExactlyTheCallGraphsEdges(Combination combination) {
        List<Manifest> manifests = ChartRenders.of(combination).manifests();
        List<Workload> deployed = List.of(Workload.values()).stream()
                .filter(w -> !Pods.podLabelsOf(manifests, w).isEmpty()).toList();
        List<String> wrong = new ArrayList<>();
        for (Workload from : deployed) {
            for (Workload to : deployed) {
                if (from == to) {
                    continue;
                }
                boolean allowed = CallGraph.calleesOf(from.identity()).contains(to.identity());
                if (NetworkReachability.reaches(manifests, from, to) != allowed) {
                    wrong.add(from.workloadName() + " -> " + to.workloadName() + (allowed ? ": blocked" : ": open"));
                }
            }
        }

        assertThat(deployed).contains(Workload.GATEWAY, Workload.SETTLEMENT, Workload.RISK);
        assertThat(wrong).isEmpty();
    }
}
