package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ContainerPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyContainerIsBoundedAndLockedDown(Combination combination) {
        assertThat(ContainerPolicy.violations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @Test
    void compliantContainersPass() {
        assertThat(ContainerPolicy.violations(PolicyFixtures.compliant())).isEmpty();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "limits: {cpu: 100m, memory: 64Mi}|limits: {cpu: 100m}|container wait-for-db: no resources.limits.memory",
        "requests: {cpu: 100m, memory: 256Mi}|requests: {memory: 256Mi}|container risk-service: no resources.requests.cpu",
        "limits: {cpu: \"1\", memory: 512Mi}|limits: {cpu: \"1\", memory: 512MB}|limits.memory 512MB is not a quantity",
        "runAsNonRoot: true|runAsNonRoot: false|runAsNonRoot is not true",
        "runAsUser: 10001|runAsUser: 0|runAsUser is 0",
        "readOnlyRootFilesystem: true|readOnlyRootFilesystem: false|readOnlyRootFilesystem is not true",
        "allowPrivilegeEscalation: false|allowPrivilegeEscalation: true|allowPrivilegeEscalation is not false",
        "capabilities: {drop: [ALL]}|capabilities: {drop: [NET_RAW]}|capabilities.drop does not contain ALL",
        "capabilities: {drop: [ALL]}|capabilities: {drop: [ALL], add: [NET_ADMIN]}|capabilities.add",
        "seccompProfile: {type: RuntimeDefault}|seccompProfile: {type: Unconfined}|seccompProfile.type is not RuntimeDefault",
    })
    void aContainerMissingOneSafeguardIsReported(String safe, String unsafe, String expected) {
        assertThat(ContainerPolicy.violations(PolicyFixtures.with(safe, unsafe)))
                .anySatisfy(violation -> assertThat(violation).contains(expected));
    }

    @Test
    void aKafkaNodePoolWithoutLimitsIsReported() {
        var manifests = PolicyFixtures.plus("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaNodePool
                metadata: {name: broker}
                spec:
                  replicas: 3
                  roles: [broker]
                  resources:
                    requests: {cpu: 500m, memory: 2Gi}
                """);

        assertThat(ContainerPolicy.violations(manifests))
                .allSatisfy(violation -> assertThat(violation).startsWith("KafkaNodePool/broker"))
                .anySatisfy(violation -> assertThat(violation).endsWith("no resources.limits.cpu"))
                .anySatisfy(violation -> assertThat(violation).endsWith("no resources.limits.memory"))
                .hasSize(2);
    }
}
