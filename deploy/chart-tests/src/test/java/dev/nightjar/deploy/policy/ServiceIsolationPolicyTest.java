package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.Manifest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ServiceIsolationPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyServiceRunsAsItsOwnServiceAccount(Combination combination) {
        List<Manifest> manifests = ChartRenders.of(combination).manifests();

        assertThat(IsolationPolicy.serviceAccountViolations(manifests, IsolationPolicy.deployed(manifests))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyServiceHasANetworkPolicyOfItsOwn(Combination combination) {
        List<Manifest> manifests = ChartRenders.of(combination).manifests();

        assertThat(IsolationPolicy.networkPolicyViolations(manifests, IsolationPolicy.deployed(manifests))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("istioCombinations")
    void everyServiceHasAnAuthorizationPolicyOfItsOwnWhenIstioIsOn(Combination combination) {
        List<Manifest> manifests = ChartRenders.of(combination).manifests();

        assertThat(IsolationPolicy.authorizationPolicyViolations(manifests, IsolationPolicy.deployed(manifests))).isEmpty();
    }

    @Test
    void servicesWithTheirOwnAccountsAndPoliciesPass() {
        List<Manifest> manifests = PolicyFixtures.compliant();

        assertThat(IsolationPolicy.serviceAccountViolations(manifests, PolicyFixtures.SERVICES)).isEmpty();
        assertThat(IsolationPolicy.networkPolicyViolations(manifests, PolicyFixtures.SERVICES)).isEmpty();
        assertThat(IsolationPolicy.authorizationPolicyViolations(manifests, PolicyFixtures.SERVICES)).isEmpty();
    }

    @Test
    void aServiceRunningAsAnotherServicesAccountIsReported() {
        var manifests = PolicyFixtures.with("serviceAccountName: risk-service", "serviceAccountName: settlement-service");

        assertThat(IsolationPolicy.serviceAccountViolations(manifests, PolicyFixtures.SERVICES)).singleElement().asString()
                .contains("Deployment/risk-service").contains("'settlement-service'");
    }

    @Test
    void aServiceWhoseAccountIsNotRenderedIsReported() {
        var manifests = PolicyFixtures.with("""
                kind: ServiceAccount
                metadata:
                  name: risk-service""", """
                kind: ServiceAccount
                metadata:
                  name: risk""");

        assertThat(IsolationPolicy.serviceAccountViolations(manifests, PolicyFixtures.SERVICES)).singleElement().asString()
                .contains("no ServiceAccount risk-service");
    }

    @Test
    void aServiceOnlyCoveredByACatchAllNetworkPolicyIsReported() {
        var manifests = PolicyFixtures.with("""
                  name: risk-service
                spec:
                  podSelector:
                    matchLabels: {app.kubernetes.io/name: risk-service}""", """
                  name: risk-service
                spec:
                  podSelector: {}""");

        assertThat(IsolationPolicy.networkPolicyViolations(manifests, PolicyFixtures.SERVICES)).singleElement().asString()
                .contains("Deployment/risk-service").contains("no NetworkPolicy of its own");
    }

    @Test
    void aServiceWithoutAnAllowAuthorizationPolicyIsReported() {
        var manifests = PolicyFixtures.with("action: ALLOW", "action: AUDIT");

        assertThat(IsolationPolicy.authorizationPolicyViolations(manifests, PolicyFixtures.SERVICES)).singleElement().asString()
                .contains("Deployment/risk-service").contains("no ALLOW AuthorizationPolicy");
    }

    static List<Combination> istioCombinations() {
        return Combination.all().stream().filter(Combination::istioEnabled).toList();
    }
}
