package dev.nightjar.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.ItEnvironment;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalKafkaRestartIT {

    private static final String TOPIC = "restart_it";

    private final Path dir = ItEnvironment.directory("local-kafka-restart");
    private final LocalKafka kafka = new LocalKafka(dir.resolve("kafka"), ItEnvironment.PORTS.kafka(),
            ItEnvironment.PORTS.kafkaController(), dir.resolve("kafka.log"), dir.resolve("kafka.pid"));

    @AfterEach
    void stop() {
        kafka.stop();
        DirectoryProcesses.killAll(dir, Duration.ofSeconds(10));
    }

    @Test
    void startAfterASigkilledBrokerServesEveryAcknowledgedRecord() throws Exception {
        kafka.start();
        kafka.awaitReady(Duration.ofSeconds(90));
        kafka.ensureTopicNames(List.of(TOPIC), 3, Duration.ofDays(1));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        ProcessHandle broker = kafka.process().orElseThrow();
        broker.destroyForcibly();
        assertThat(PidFile.awaitExit(broker, Duration.ofSeconds(10))).isTrue();

        kafka.start();
        kafka.awaitReady(Duration.ofSeconds(90));

        assertThat(kafka.process()).hasValueSatisfying(process -> assertThat(process.pid()).isNotEqualTo(broker.pid()));
        assertThat(readAll()).hasSize(100).contains("value-0", "value-99");
    }

    private List<String> readAll() {
        Properties config = new Properties();
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "restart-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.size() < 100 && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private Properties producerConfig() {
        Properties config = new Properties();
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        return config;
    }
}
