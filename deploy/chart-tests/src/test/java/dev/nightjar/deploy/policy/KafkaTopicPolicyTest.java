package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.Topics;
import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.ManifestDocuments;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaTopicPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void kafkaTopicsAreExactlyCommonLibsTopicsAndDeadLetterTopics(Combination combination) {
        assertThat(KafkaTopicPolicy.violations(ChartRenders.of(combination).manifests(), KafkaTopicPolicy.expectedTopics())).isEmpty();
    }

    @Test
    void someProfileDeploysKafkaWithStrimzi() {
        assertThat(ChartRenders.all()).anySatisfy(render ->
                assertThat(KafkaTopicPolicy.usesStrimzi(render.manifests())).as("%s uses Strimzi", render.combination()).isTrue());
    }

    @Test
    void theExpectedTopicsAreEveryTopicAndEverySubscriptionsDeadLetterTopic() {
        Set<String> expected = KafkaTopicPolicy.expectedTopics();

        assertThat(expected).contains("payment_events", "settlement_events", "payment_events.ledger-service.dlt",
                "payment_retries.transaction-service.dlt");
        assertThat(expected).hasSize(Topics.ALL.size() + Topics.SUBSCRIPTIONS.size());
    }

    @Test
    void exactlyTheExpectedTopicsPass() {
        assertThat(KafkaTopicPolicy.violations(strimzi(KafkaTopicPolicy.expectedTopics()), KafkaTopicPolicy.expectedTopics())).isEmpty();
    }

    @Test
    void aMissingDeadLetterTopicIsReported() {
        Set<String> rendered = new TreeSet<>(KafkaTopicPolicy.expectedTopics());
        rendered.remove("ledger_entries.settlement-service.dlt");

        assertThat(KafkaTopicPolicy.violations(strimzi(rendered), KafkaTopicPolicy.expectedTopics()))
                .containsExactly("KafkaTopics missing for [ledger_entries.settlement-service.dlt]");
    }

    @Test
    void aTopicCommonLibDoesNotDeclareIsReported() {
        Set<String> rendered = new TreeSet<>(KafkaTopicPolicy.expectedTopics());
        rendered.add("payment_events_v2");

        assertThat(KafkaTopicPolicy.violations(strimzi(rendered), KafkaTopicPolicy.expectedTopics()))
                .containsExactly("KafkaTopics not declared in common-lib's Topics: [payment_events_v2]");
    }

    @Test
    void aTopicDeclaredTwiceIsReported() {
        List<Manifest> manifests = new java.util.ArrayList<>(strimzi(KafkaTopicPolicy.expectedTopics()));
        manifests.add(topic("payment-events-again", "payment_events", "nightjar"));

        assertThat(KafkaTopicPolicy.violations(manifests, KafkaTopicPolicy.expectedTopics()))
                .singleElement().asString().contains("payment_events is declared twice");
    }

    @Test
    void aTopicBoundToNoRenderedKafkaIsReported() {
        List<Manifest> manifests = new java.util.ArrayList<>(strimzi(KafkaTopicPolicy.expectedTopics()));
        manifests.removeIf(m -> KafkaTopicPolicy.topicName(m).equals("risk_events"));
        manifests.add(topic("risk-events", "risk_events", "nightjr"));

        assertThat(KafkaTopicPolicy.violations(manifests, KafkaTopicPolicy.expectedTopics()))
                .singleElement().asString().contains("strimzi.io/cluster 'nightjr'");
    }

    private static List<Manifest> strimzi(Set<String> topicNames) {
        List<Manifest> manifests = new java.util.ArrayList<>();
        manifests.add(ManifestDocuments.parseOne("apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata: {name: nightjar}\n"));
        for (String name : topicNames) {
            manifests.add(topic(name.replace('_', '-').replace('.', '-'), name, "nightjar"));
        }
        return manifests;
    }

    private static Manifest topic(String resourceName, String topicName, String cluster) {
        return ManifestDocuments.parseOne("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata:
                  name: %s
                  labels: {strimzi.io/cluster: %s}
                spec:
                  topicName: %s
                  partitions: 12
                  replicas: 3
                """.formatted(resourceName, cluster, topicName));
    }
}
