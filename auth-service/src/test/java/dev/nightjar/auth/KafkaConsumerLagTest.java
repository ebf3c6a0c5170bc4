package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.kafka.ConsumerLag;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestKafka;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListener;

/** nightjar_kafka_consumer_lag from a real listener container on a real broker. */
class KafkaConsumerLagTest {

    private static final String TOPIC = "consumer_lag_test";
    private static final String GROUP = "consumer-lag-test";

    @Test
    void lagIsWhatTheListenerHasNotReachedOnItsPartitionsAndFallsToZeroAsItCatchesUp() throws Exception {
        TestKafka.createTopics(TOPIC);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "mer_1", new byte[] {(byte) i})).get(30, TimeUnit.SECONDS);
            }
        }
        CountDownLatch release = new CountDownLatch(1);
        ContainerProperties properties = new ContainerProperties(TOPIC);
        properties.setMessageListener((MessageListener<String, byte[]>) record -> {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var container = new ConcurrentMessageListenerContainer<>(new DefaultKafkaConsumerFactory<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1),
                new StringDeserializer(), new ByteArrayDeserializer()), properties);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ConsumerLag lag = new ConsumerLag(() -> List.of(container), meters);
        container.start();
        try {
            // the listener holds the first record: the five after it are behind
            Await.until("the lag of the five records behind the held one", Duration.ofSeconds(30), () -> {
                lag.refresh();
                return meters.scrape().contains("nightjar_kafka_consumer_lag{group=\"" + GROUP + "\",topic=\"" + TOPIC + "\"} 5.0");
            });
            release.countDown();
            Await.until("the lag to fall to zero once the listener caught up", Duration.ofSeconds(30), () -> {
                lag.refresh();
                return meters.scrape().contains("nightjar_kafka_consumer_lag{group=\"" + GROUP + "\",topic=\"" + TOPIC + "\"} 0.0");
            });
        } finally {
            release.countDown();
            container.stop();
        }
        lag.refresh();
        assertThat(meters.scrape()).as("a stopped listener owns no partition")
                .doesNotContain("nightjar_kafka_consumer_lag{group=\"" + GROUP + "\"");
    }
}
