package dev.nightjar.settlement;

import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.config.NightjarEnvironmentPostProcessor;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.settlement.acquirer.AcquirerGateway;
import dev.nightjar.settlement.acquirer.AcquirerProperties;
import dev.nightjar.settlement.batch.BatchRepository;
import dev.nightjar.settlement.batch.SettlementMetrics;
import dev.nightjar.settlement.batch.SettlementProperties;
import dev.nightjar.settlement.batch.SettlementRun;
import dev.nightjar.settlement.batch.SettlementScheduler;
import dev.nightjar.settlement.batch.StepFailures;
import dev.nightjar.settlement.item.LedgerEntriesConsumer;
import dev.nightjar.settlement.item.SettlementItems;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

@Configuration(proxyBeanMethods = false)
class SettlementConfiguration {

    @Bean
    SettlementItems settlementItems(JdbcClient jdbc) {
        return new SettlementItems(jdbc);
    }

    @Bean
    LedgerEntriesConsumer ledgerEntriesConsumer(SettlementItems items, KafkaTemplate<String, byte[]> eventKafkaTemplate,
                                                MeterRegistry meters, EventSpans spans) {
        return new LedgerEntriesConsumer(items, eventKafkaTemplate, meters, spans);
    }

    @Bean
    BatchRepository batchRepository(JdbcClient jdbc, NamedParameterJdbcTemplate named, TransactionTemplate transactions,
                                    OutboxSignal outboxSignal) {
        return new BatchRepository(jdbc, named, transactions, outboxSignal);
    }

    /** Raised by the writers of the outbox when they commit, so the relay publishes at once. */
    @Bean
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    @Bean
    AcquirerGateway acquirerGateway(AcquirerProperties acquirers, RestClient.Builder builder, SslBundles bundles,
                                    NightjarProperties nightjar) {
        return new AcquirerGateway(acquirers, builder,
                nightjar.tls().enabled() ? bundles.getBundle(NightjarEnvironmentPostProcessor.BUNDLE) : null);
    }

    @Bean
    OutboxRelay outboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters,
                            EventSpans spans, OutboxSignal outboxSignal, OutboxRelay.Pacing pacing,
                            UnrecordedKafkaSends<String, byte[]> unrecordedEventSends) {
        return new OutboxRelay("settlement", dataSource, eventKafkaTemplate, meters, spans, outboxSignal, pacing,
                unrecordedEventSends);
    }

    @Bean
    dev.nightjar.common.lifecycle.PeriodicSample settlementBatchStates(JdbcClient jdbc, MeterRegistry meters) {
        var states = new dev.nightjar.settlement.batch.BatchStates(jdbc, meters);
        return new dev.nightjar.common.lifecycle.PeriodicSample("settlement-batch-states",
                dev.nightjar.settlement.batch.BatchStates.INTERVAL, states::refresh);
    }

    @Bean
    StepFailures stepFailures(SettlementProperties properties) {
        return new StepFailures(properties.failAfter());
    }

    @Bean
    SettlementRun settlementRun(BatchRepository batches, AcquirerGateway acquirers, SettlementProperties properties,
                                StepFailures failures, MeterRegistry meters, OutboxRelay relay) {
        return new SettlementRun(batches, acquirers, properties, failures, new SettlementMetrics(meters), relay);
    }

    @Bean
    SettlementScheduler settlementScheduler(SettlementRun run, SettlementProperties properties) {
        return new SettlementScheduler(run, properties);
    }
}
