package dev.nightjar.deploy.policy;

import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.deploy.chart.Manifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * With Strimzi, the KafkaTopics are exactly the topics common-lib declares: every Topics.ALL entry and the
 * dead-letter topic of every subscription; none missing, none extra, none twice; each bound to a rendered Kafka.
 */
final class KafkaTopicPolicy {

    private KafkaTopicPolicy() {
    }

    static Set<String> expectedTopics() {
        Set<String> expected = new TreeSet<>();
        Topics.ALL.stream().map(Topic::name).forEach(expected::add);
        Topics.SUBSCRIPTIONS.stream().map(Topics.Subscription::deadLetterTopic).forEach(expected::add);
        return expected;
    }

    static boolean usesStrimzi(List<Manifest> manifests) {
        return manifests.stream().anyMatch(m -> m.is("Kafka"));
    }

    /** The Kafka topic a KafkaTopic creates: spec.topicName, else its name. */
    static String topicName(Manifest kafkaTopic) {
        return kafkaTopic.spec().path("topicName").asText(kafkaTopic.name());
    }

    static List<String> violations(List<Manifest> manifests, Set<String> expected) {
        List<Manifest> kafkaTopics = manifests.stream().filter(m -> m.is("KafkaTopic")).toList();
        Set<String> clusters = new HashSet<>();
        manifests.stream().filter(m -> m.is("Kafka")).forEach(kafka -> clusters.add(kafka.name()));
        List<String> violations = new ArrayList<>();
        if (!usesStrimzi(manifests)) {
            kafkaTopics.forEach(topic -> violations.add(topic.describe() + ": a KafkaTopic without a Strimzi Kafka to create it"));
            return violations;
        }
        Set<String> rendered = new TreeSet<>();
        for (Manifest topic : kafkaTopics) {
            if (!rendered.add(topicName(topic))) {
                violations.add(topic.describe() + ": topic " + topicName(topic) + " is declared twice");
            }
            String cluster = topic.labels().get("strimzi.io/cluster");
            if (!clusters.contains(cluster)) {
                violations.add(topic.describe() + ": strimzi.io/cluster '" + cluster + "' is not a rendered Kafka " + clusters);
            }
        }
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(rendered);
        Set<String> extra = new TreeSet<>(rendered);
        extra.removeAll(expected);
        if (!missing.isEmpty()) {
            violations.add("KafkaTopics missing for " + missing);
        }
        if (!extra.isEmpty()) {
            violations.add("KafkaTopics not declared in common-lib's Topics: " + extra);
        }
        return violations;
    }
}
