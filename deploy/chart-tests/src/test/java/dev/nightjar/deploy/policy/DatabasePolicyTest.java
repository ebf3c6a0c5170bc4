package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.Profile;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabasePolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyPatroniClusterRunsSynchronousReplication(Combination combination) {
        assertThat(DatabasePolicy.synchronousModeViolations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @Test
    void theProductionProfileRunsPatroniClusters() {
        assertThat(DatabasePolicy.patroniClusters(ChartRenders.of(new Combination(Profile.PRODUCTION, false)).manifests()))
                .as("Patroni clusters of the production profile").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyJdbcUrlNamesSeveralHostsAndFollowsThePrimary(Combination combination) {
        var manifests = ChartRenders.of(combination).manifests();

        assertThat(DatabasePolicy.jdbcUrls(manifests)).as("JDBC URLs in ConfigMaps and env").isNotEmpty();
        assertThat(DatabasePolicy.jdbcUrlViolations(manifests)).isEmpty();
    }

    @Test
    void aSynchronousPatroniClusterWithMultiHostPrimaryUrlsPasses() {
        assertThat(DatabasePolicy.patroniClusters(PolicyFixtures.compliant())).hasSize(1);
        assertThat(DatabasePolicy.synchronousModeViolations(PolicyFixtures.compliant())).isEmpty();
        assertThat(DatabasePolicy.jdbcUrls(PolicyFixtures.compliant())).hasSize(2);
        assertThat(DatabasePolicy.jdbcUrlViolations(PolicyFixtures.compliant())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"synchronous_mode: false", "synchronous_mode: \"false\"", "synchronous_node_count: 1"})
    void aPatroniClusterWithoutSynchronousModeIsReported(String replacement) {
        var manifests = PolicyFixtures.with("synchronous_mode: true", replacement);

        assertThat(DatabasePolicy.synchronousModeViolations(manifests)).singleElement().asString()
                .contains("StatefulSet/settlement-db").contains("synchronous_mode");
    }

    @Test
    void synchronousModeInAConfigMapThePodDoesNotMountDoesNotCount() {
        var manifests = PolicyFixtures.with("configMap: {name: settlement-db-patroni}", "configMap: {name: settlement-db-other}");

        assertThat(DatabasePolicy.synchronousModeViolations(manifests)).hasSize(1);
    }

    @Test
    void synchronousModeSetInALauncherScriptCounts() {
        assertThat(DatabasePolicy.setsSynchronousMode("cat > /tmp/p.yml <<EOF\nbootstrap:\n  dcs:\n    synchronous_mode: true\nEOF\n"))
                .isTrue();
    }

    @Test
    void aSingleHostJdbcUrlIsReported() {
        var manifests = PolicyFixtures.with("risk-db-0.risk-db:5432,risk-db-1.risk-db:5432", "risk-db:5432");

        assertThat(DatabasePolicy.jdbcUrlViolations(manifests)).singleElement().asString().contains("one host");
    }

    @Test
    void aJdbcUrlThatMayLandOnAReplicaIsReported() {
        List<String> urls = List.of(
                "jdbc:postgresql://a:5432,b:5432/ledger",
                "jdbc:postgresql://a:5432,b:5432/ledger?targetServerType=any",
                "jdbc:postgresql://a:5432,b:5432/ledger?targetServerType=preferPrimary");

        assertThat(urls).allSatisfy(url -> assertThat(DatabasePolicy.jdbcUrlViolation(url)).get().asString()
                .contains("targetServerType=primary"));
        assertThat(DatabasePolicy.jdbcUrlViolation("jdbc:postgresql://a:5432,b:5432/ledger?ssl=true&targetServerType=primary"))
                .isEmpty();
    }
}
