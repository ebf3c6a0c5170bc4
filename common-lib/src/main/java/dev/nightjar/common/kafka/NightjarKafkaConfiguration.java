package dev.nightjar.common.kafka;

import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Kafka for event envelopes: keys are merchant ids (strings), values the envelope's JSON bytes, decoded
 * by the consumer with {@code EventCodec} so a malformed record is the consumer's to dead-letter.
 * Producers are idempotent with {@code acks=all}; consumers read committed records only, fetch up to 64 KiB
 * or a second of them at a time (nightjar-defaults.properties; {@link #PROMPT_FETCH} for the few that may not
 * wait that long), and commit offsets after each batch is processed.
 *
 * <p>A process that knows its instance name ({@code nightjar.instance}, stable across its restarts) joins
 * its consumer group as a static member ({@code group.instance.id}). A restarted broker loads each group as
 * it was before the crash, old members included; a consumer that rejoins under a new member id would leave
 * the coordinator waiting for its old self until the rebalance timeout ({@code max.poll.interval.ms}, five
 * minutes), reading nothing meanwhile. A static member takes its old place at once, and a restarted
 * service does the same.
 */
@AutoConfiguration(afterName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(KafkaTemplate.class)
public class NightjarKafkaConfiguration {

    public static final String EVENT_LISTENER_FACTORY = "eventBatchListenerFactory";
    /** The events' template, by its bean name: its observation's timer is tagged with it. */
    public static final String EVENT_TEMPLATE = "eventKafkaTemplate";

    /**
     * A listener's {@code properties} for a consumer whose records a merchant waits on (an accepted payment to
     * process, an acquirer's late answer): its fetches return after 250 ms at most instead of the default second.
     * Each idle consumer fetches four times a second this way, so only those consumers do.
     */
    public static final String PROMPT_FETCH = "fetch.max.wait.ms=250";

    /** The spans of the Kafka hops (outbox relay, consumers), in the payment's trace. */
    @Bean
    @ConditionalOnMissingBean
    EventSpans eventSpans(ObjectProvider<Tracer> tracer) {
        return new EventSpans(tracer.getIfAvailable());
    }

    /**
     * How the services' outbox relays pace their batches: a batch that did not fill is followed by at most one more
     * per {@code nightjar.outbox.linger} (100 ms unless set), so the events of a busy spell leave together.
     */
    @Bean
    OutboxRelay.Pacing outboxPacing(@Value("${nightjar.outbox.linger:100ms}") Duration linger) {
        return new OutboxRelay.Pacing(OutboxRelay.POLL, linger);
    }

    @Bean
    ProducerFactory<String, byte[]> eventProducerFactory(KafkaProperties properties) {
        Map<String, Object> config = properties.buildProducerProperties();
        return new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Bean(EVENT_TEMPLATE)
    KafkaTemplate<String, byte[]> eventKafkaTemplate(ProducerFactory<String, byte[]> eventProducerFactory) {
        KafkaTemplate<String, byte[]> template = new KafkaTemplate<>(eventProducerFactory);
        template.setObservationEnabled(true);
        return template;
    }

    /**
     * The outbox relays' sends of events in a trace nobody records: on the event template's producers, counted in
     * its timer, without its observation.
     */
    @Bean
    UnrecordedKafkaSends<String, byte[]> unrecordedEventSends(ProducerFactory<String, byte[]> eventProducerFactory,
                                                              ObjectProvider<MeterRegistry> meters) {
        return new UnrecordedKafkaSends<>(eventProducerFactory, EVENT_TEMPLATE, meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    ConsumerFactory<String, byte[]> eventConsumerFactory(KafkaProperties properties,
            @Value("${nightjar.instance:}") String instance) {
        Map<String, Object> config = consumerConfig(properties.buildConsumerProperties(), instance);
        return new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * The consumer configuration with {@code group.instance.id} set to the process's instance name, unless it
     * is blank (tests running several services in one JVM) or the configuration names one already. Each
     * service has one listener per consumer group, so the instance name is unique within every group.
     */
    static Map<String, Object> consumerConfig(Map<String, Object> config, String instance) {
        if (instance != null && !instance.isBlank()) {
            config.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance);
        }
        return config;
    }

    /** The broker as a health component ("kafka"), outside readiness; see {@link KafkaHealthIndicator}. */
    @Bean(destroyMethod = "close")
    KafkaHealthIndicator kafkaHealthIndicator(KafkaProperties properties) {
        return new KafkaHealthIndicator(properties.buildAdminProperties());
    }

    @Bean(EVENT_LISTENER_FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> eventBatchListenerFactory(
            ConsumerFactory<String, byte[]> eventConsumerFactory) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(eventConsumerFactory);
        factory.setBatchListener(true);
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.BATCH);
        factory.getContainerProperties().setObservationEnabled(true);
        // A batch that fails (a database outage, say) is retried until it succeeds: money events are never
        // skipped. Records that cannot be decoded are dead-lettered by the listener itself.
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        return factory;
    }
}
