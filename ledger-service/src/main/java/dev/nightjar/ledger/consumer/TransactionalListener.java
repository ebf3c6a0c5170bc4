package dev.nightjar.ledger.consumer;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.transaction.KafkaTransactionManager;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The ledger's consume-and-publish loop in Kafka transactions. The transactional id prefix is stable per
 * instance ({@code nightjar.ledger.transactional-id}), so a restarted instance fences its predecessor and
 * aborts whatever transaction it left open at once instead of letting it block readers until it times out.
 */
public final class TransactionalListener implements AutoCloseable {

    public static final String FACTORY = "ledgerTransactionalListenerFactory";

    private final DefaultKafkaProducerFactory<String, byte[]> producers;
    private final KafkaTemplate<String, byte[]> template;

    /** Not a ProducerFactory bean itself, so Spring Boot's own Kafka beans stay as they are. */
    public TransactionalListener(KafkaProperties properties, String transactionalId) {
        this.producers = producerFactory(properties, transactionalId);
        this.template = new KafkaTemplate<>(producers);
        template.setObservationEnabled(true);
    }

    public KafkaTemplate<String, byte[]> template() {
        return template;
    }

    public ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory(ConsumerFactory<String, byte[]> consumers) {
        return containerFactory(consumers, producers);
    }

    @Override
    public void close() {
        producers.destroy();
    }

    private static DefaultKafkaProducerFactory<String, byte[]> producerFactory(KafkaProperties properties, String transactionalId) {
        Map<String, Object> config = new HashMap<>(properties.buildProducerProperties());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
        DefaultKafkaProducerFactory<String, byte[]> factory =
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
        factory.setTransactionIdPrefix(transactionalId + "-");
        return factory;
    }

    private static ConcurrentKafkaListenerContainerFactory<String, byte[]> containerFactory(
            ConsumerFactory<String, byte[]> consumers, DefaultKafkaProducerFactory<String, byte[]> producers) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(consumers);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        factory.getContainerProperties().setObservationEnabled(true);
        factory.getContainerProperties().setKafkaAwareTransactionManager(new KafkaTransactionManager<>(producers));
        // A failed batch (a database outage, say) is rolled back and retried until it succeeds: money events
        // are never skipped.
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        factory.setAfterRollbackProcessor(new DefaultAfterRollbackProcessor<>(backOff));
        return factory;
    }
}
