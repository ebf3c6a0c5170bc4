package dev.nightjar.risk;

import java.util.List;
import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.contracts.contract.RiskContract;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.batch.BatchWriter;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.risk.consumer.PaymentEventsConsumer;
import dev.nightjar.risk.decision.DecisionLog;
import dev.nightjar.risk.decision.RiskEngine;
import dev.nightjar.risk.decision.RiskProperties;
import dev.nightjar.risk.features.FeatureMaintenance;
import dev.nightjar.risk.features.FeatureRepository;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.model.RiskModel;
import dev.nightjar.risk.rescore.Rescorer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RiskConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RiskConfiguration.class);
    private static final LongSupplier CLOCK = System::currentTimeMillis;

    @Bean
    RiskModel riskModel() {
        RiskModel model = RiskModel.fromClasspath();
        log.info("risk model {} trained {} (holdout ROC AUC {})", model.version(), model.file().trainedAt(),
                model.file().evaluation() == null ? "n/a" : model.file().evaluation().auc());
        return model;
    }

    @Bean
    FeatureRepository featureRepository(JdbcClient jdbc) {
        return new FeatureRepository(jdbc);
    }

    /** The features, rebuilt from the database before the consumer or the API starts. */
    @Bean
    FeatureStore featureStore(RiskProperties properties, FeatureRepository repository, MeterRegistry meters) {
        RiskProperties.FeatureLimits limits = properties.features();
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(limits.maxCards(), limits.maxMerchants(), limits.maxIps()));
        long started = System.nanoTime();
        long rows = repository.loadInto(store, CLOCK.getAsLong());
        log.info("feature store loaded from {} rows in {} ms: {} cards, {} merchants, {} IP addresses", rows,
                (System.nanoTime() - started) / 1_000_000, store.cardCount(), store.merchantCount(), store.ipCount());
        Gauge.builder("nightjar.risk.features.keys", store, FeatureStore::cardCount).tag("kind", "card")
                .description("Keys held by the in-memory feature store").register(meters);
        Gauge.builder("nightjar.risk.features.keys", store, FeatureStore::merchantCount).tag("kind", "merchant")
                .description("Keys held by the in-memory feature store").register(meters);
        Gauge.builder("nightjar.risk.features.keys", store, FeatureStore::ipCount).tag("kind", "ip")
                .description("Keys held by the in-memory feature store").register(meters);
        return store;
    }

    @Bean
    FeatureMaintenance featureMaintenance(FeatureStore store, FeatureRepository repository) {
        return new FeatureMaintenance(store, repository, PaymentEventsConsumer.CONSUMER, CLOCK);
    }

    @Bean
    RiskEngine riskEngine(RiskProperties properties, RiskModel model, FeatureStore store) {
        return new RiskEngine(properties, model, store, CLOCK);
    }

    @Bean
    DecisionLog decisionLog(JdbcTemplate jdbc) {
        return new DecisionLog(jdbc);
    }

    /** How long a batch of the decision log gathers decisions after its first. */
    private static final String DECISION_LOG_LINGER = "${nightjar.risk.decision-log.linger:50ms}";
    /** What the events consumer allows, beyond the linger, for a decision's batch to be written. */
    private static final Duration DECISION_LOG_WRITE = Duration.ofMillis(200);

    /**
     * The decision log, written off the request path. A batch lingers {@code nightjar.risk.decision-log.linger}
     * (50 ms unless set) after its first decision, so that at a few dozen payments a second the decisions share a
     * round trip and a commit instead of each taking its own (docs/performance.md, "The decision log lingers").
     */
    @Bean
    BatchWriter<DecisionLog.LoggedDecision> decisionLogWriter(DecisionLog decisionLog, MeterRegistry meters,
            @Value(DECISION_LOG_LINGER) Duration linger) {
        return new BatchWriter<>("risk-decisions", 100_000, 500, Duration.ofMillis(50), linger, decisionLog::insert, meters);
    }

    @Bean
    Rescorer rescorer(RiskEngine engine, JdbcClient jdbc, TransactionTemplate transactions, RiskProperties properties,
                      MeterRegistry meters, OutboxSignal outboxSignal) {
        return new Rescorer(engine, jdbc, transactions, properties.reviewThreshold(), meters, outboxSignal);
    }

    @Bean
    PaymentEventsConsumer paymentEventsConsumer(FeatureStore store, FeatureRepository repository, DecisionLog decisionLog,
                                                Rescorer rescorer, TransactionTemplate transactions,
                                                KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters,
                                                EventSpans spans, @Value(DECISION_LOG_LINGER) Duration decisionLogLinger) {
        return new PaymentEventsConsumer(store, repository, decisionLog, rescorer, transactions, eventKafkaTemplate, CLOCK,
                meters, spans, decisionLogLinger.plus(DECISION_LOG_WRITE));
    }

    @Bean
    OutboxRelay outboxRelay(DataSource dataSource, KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters,
                            EventSpans spans, OutboxSignal outboxSignal, OutboxRelay.Pacing pacing,
                            UnrecordedKafkaSends<String, byte[]> unrecordedEventSends) {
        return new OutboxRelay("risk", dataSource, eventKafkaTemplate, meters, spans, outboxSignal, pacing,
                unrecordedEventSends);
    }

    /** Raised by the writers of the outbox when they commit, so the relay publishes at once. */
    @Bean
    OutboxSignal outboxSignal() {
        return new OutboxSignal();
    }

    /**
     * The decision endpoint before the service reports ready ({@link RequestPathWarmUp}): a request without its
     * payment, refused before the engine scores or logs anything.
     */
    @Bean
    RequestPathWarmUp.Requests warmUpRequests() {
        return () -> List.of(RequestPathWarmUp.Request.post(RiskContract.DECISIONS,
                new RiskContract.DecisionRequest(null, RequestPathWarmUp.MERCHANT, 1999, "EUR", null, null, null, null),
                400));
    }
}
