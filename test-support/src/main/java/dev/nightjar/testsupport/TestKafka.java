package dev.nightjar.testsupport;

import dev.nightjar.common.event.Topic;
import dev.nightjar.common.event.Topics;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One real KRaft Kafka broker per test JVM, in process, with every topic of the fleet. */
public final class TestKafka {

    private static EmbeddedKafkaKraftBroker broker;

    private TestKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, 3);
            started.brokerProperties(Map.of(
                    "transaction.state.log.replication.factor", "1",
                    "transaction.state.log.min.isr", "1",
                    "offsets.topic.replication.factor", "1",
                    "group.initial.rebalance.delay.ms", "0",
                    "auto.create.topics.enable", "false"));
            started.afterPropertiesSet();
            NewTopic[] topics = Topics.ALL.stream()
                    .map(Topic::name)
                    .map(name -> new NewTopic(name, 3, (short) 1))
                    .toArray(NewTopic[]::new);
            started.addTopics(topics);
            started.addTopics(Topics.SUBSCRIPTIONS.stream().map(Topics.Subscription::deadLetterTopic).distinct()
                    .map(name -> new NewTopic(name, 1, (short) 1)).toArray(NewTopic[]::new));
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy, "test-kafka-stop"));
            broker = started;
        }
        return broker.getBrokersAsString();
    }

    /** Creates extra topics (dead-letter topics, say) on the shared broker. */
    public static synchronized void createTopics(String... names) {
        bootstrapServers();
        broker.addTopics(java.util.Arrays.stream(names).map(name -> new NewTopic(name, 3, (short) 1)).toArray(NewTopic[]::new));
    }
}
