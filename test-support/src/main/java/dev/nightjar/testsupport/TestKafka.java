package dev.nightjar.testsupport;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** One real KRaft Kafka broker per test JVM, in process, with every topic of the fleet. */
public final class TestKafka {

    private static EmbeddedKafkaKraftBroker broker;
    private static KafkaProducer<String, byte[]> producer;

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

    /** Publishes an event as the services do (merchant key, envelope JSON) and waits for the broker to take it. */
    public static <P> void publish(Topic<P> topic, EventEnvelope<P> event) {
        try {
            producer().send(new ProducerRecord<>(topic.name(), event.key(), EventCodec.encode(event)))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted publishing to " + topic.name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic.name(), e);
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            KafkaProducer<String, byte[]> started = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer());
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "test-kafka-producer-close"));
            producer = started;
        }
        return producer;
    }
}
