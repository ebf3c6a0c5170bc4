package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** risk-service scores payments; it has no business with settlement's money movements, so it cannot reach them. */
class RiskSettlementSeparationTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void noNetworkPolicyLetsRiskReachSettlement(Combination combination) {
        assertThat(RiskSettlementSeparation.networkViolations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.policy.ServiceIsolationPolicyTest#istioCombinations")
    void theMeshAdmitsRiskToNothingOfSettlementAndDeniesItExplicitly(Combination combination) {
        assertThat(RiskSettlementSeparation.meshViolations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @Test
    void separatedPoliciesPass() {
        assertThat(RiskSettlementSeparation.networkViolations(PolicyFixtures.compliant())).isEmpty();
        assertThat(RiskSettlementSeparation.meshViolations(PolicyFixtures.compliant())).isEmpty();
    }

    @Test
    void anEgressRuleFromRiskToSettlementIsReported() {
        var manifests = PolicyFixtures.with("matchLabels: {strimzi.io/cluster: nightjar}",
                "matchLabels: {app.kubernetes.io/name: settlement-service}");

        assertThat(RiskSettlementSeparation.networkViolations(manifests)).singleElement().asString()
                .contains("NetworkPolicy/risk-service").contains("egress rule");
    }

    @Test
    void anEgressRuleToTheWholeNamespaceIsReported() {
        var manifests = PolicyFixtures.with("matchLabels: {kubernetes.io/metadata.name: kube-system}",
                "matchLabels: {kubernetes.io/metadata.name: nightjar}");

        assertThat(RiskSettlementSeparation.networkViolations(manifests)).singleElement().asString().contains("egress rule");
    }

    @Test
    void riskWithUnrestrictedEgressIsReported() {
        // The first policyTypes of the fixture is risk-service's NetworkPolicy's.
        var manifests = PolicyFixtures.with("policyTypes: [Ingress, Egress]", "policyTypes: [Ingress]");

        assertThat(RiskSettlementSeparation.networkViolations(manifests)).singleElement().asString()
                .contains("egress is not restricted");
    }

    @Test
    void aSettlementIngressRuleAdmittingRiskIsReported() {
        // The first ledger-service peer of the fixture is settlement-service's ingress rule.
        var manifests = PolicyFixtures.with("matchLabels: {app.kubernetes.io/name: ledger-service}",
                "matchLabels: {app.kubernetes.io/name: risk-service}");

        assertThat(RiskSettlementSeparation.networkViolations(manifests)).singleElement().asString()
                .contains("NetworkPolicy/settlement-service").contains("admits risk-service");
    }

    @Test
    void anAllowPolicyAdmittingRisksPrincipalToSettlementIsReported() {
        var manifests = PolicyFixtures.with("principals: [cluster.local/ns/nightjar/sa/nightjar-operator]",
                "principals: [cluster.local/ns/nightjar/sa/nightjar-operator, cluster.local/ns/nightjar/sa/risk-service]");

        assertThat(RiskSettlementSeparation.meshViolations(manifests)).singleElement().asString()
                .contains("AuthorizationPolicy/settlement-service").contains("admits cluster.local/ns/nightjar/sa/risk-service");
    }

    @Test
    void anAllowPolicyAdmittingTheWholeNamespaceToSettlementIsReported() {
        var manifests = PolicyFixtures.with("principals: [cluster.local/ns/nightjar/sa/nightjar-operator]", "namespaces: [nightjar]");

        assertThat(RiskSettlementSeparation.meshViolations(manifests)).singleElement().asString()
                .contains("AuthorizationPolicy/settlement-service");
    }

    @Test
    void aMissingExplicitDenyOfRiskIsReported() {
        var manifests = PolicyFixtures.with("action: DENY", "action: AUDIT");

        assertThat(RiskSettlementSeparation.meshViolations(manifests)).allSatisfy(violation ->
                assertThat(violation).contains("no DENY AuthorizationPolicy names cluster.local/ns/nightjar/sa/risk-service"))
                .isNotEmpty();
    }

    @Test
    void istioPrincipalPatternsMatchAsIstioDoes() {
        String risk = "cluster.local/ns/nightjar/sa/risk-service";

        assertThat(MeshAuthorization.matches("*", risk)).isTrue();
        assertThat(MeshAuthorization.matches("*/sa/risk-service", risk)).isTrue();
        assertThat(MeshAuthorization.matches("cluster.local/ns/nightjar/*", risk)).isTrue();
        assertThat(MeshAuthorization.matches("cluster.local/ns/nightjar/sa/risk", risk)).isFalse();
        assertThat(MeshAuthorization.matches("*/sa/settlement-service", risk)).isFalse();
    }
}
