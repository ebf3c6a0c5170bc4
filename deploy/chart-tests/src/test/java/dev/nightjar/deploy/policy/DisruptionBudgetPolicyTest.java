package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DisruptionBudgetPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyWorkloadWithMoreThanOneReplicaHasADisruptionBudgetSelectingIt(Combination combination) {
        assertThat(DisruptionBudgetPolicy.violations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @Test
    void replicatedWorkloadsWithBudgetsPass() {
        assertThat(DisruptionBudgetPolicy.violations(PolicyFixtures.compliant())).isEmpty();
    }

    @Test
    void aReplicatedWorkloadWhoseBudgetSelectsOtherPodsIsReported() {
        var manifests = PolicyFixtures.with("""
                  name: risk-service
                spec:
                  maxUnavailable: 1
                  selector:
                    matchLabels: {app.kubernetes.io/name: risk-service}""", """
                  name: risk-service
                spec:
                  maxUnavailable: 1
                  selector:
                    matchLabels: {app.kubernetes.io/name: risk-svc}""");

        assertThat(DisruptionBudgetPolicy.violations(manifests))
                .singleElement().asString().startsWith("Deployment/risk-service").contains("up to 2 replicas");
    }

    @Test
    void aSingleReplicaWorkloadThatAnAutoscalerCanScaleOutNeedsABudget() {
        var manifests = PolicyFixtures.plus("""
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: settlement-service}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: settlement-service}
                  minReplicas: 1
                  maxReplicas: 4
                """);

        assertThat(DisruptionBudgetPolicy.violations(manifests))
                .singleElement().asString().startsWith("Deployment/settlement-service").contains("up to 4 replicas");
    }
}
