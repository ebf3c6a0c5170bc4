package dev.nightjar.transaction;

import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.observability.UnrecordedKafkaSends;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.outbox.OutboxRelay;
import dev.nightjar.common.outbox.OutboxRelays;
import dev.nightjar.common.shard.PartitionMaintenance;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.common.shard.ShardsHealthIndicator;
import dev.nightjar.transaction.payment.Collaborators;
import dev.nightjar.transaction.payment.PaymentEvents;
import dev.nightjar.transaction.payment.PaymentRepository;
import dev.nightjar.transaction.payment.PaymentService;
import dev.nightjar.transaction.payment.TransactionProperties;
import dev.nightjar.transaction.settlement.PaymentSettlements;
import dev.nightjar.transaction.settlement.SettlementEventsConsumer;
import dev.nightjar.transaction.settlement.SettlementProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@org.springframework.boot.context.properties.EnableConfigurationProperties(ShardProperties.class)
class TransactionConfiguration {

    @Bean(destroyMethod = "close")
    Shards shards(ShardProperties properties, MeterRegistry meters) {
        return Shards.open(properties, "transaction", meters);
    }

    @Bean
    ShardsHealthIndicator shardsHealthIndicator(Shards shards) {
        return new ShardsHealthIndicator(shards);
    }

    @Bean
    PaymentEvents paymentEvents(TraceContexts traces) {
        return new PaymentEvents(traces);
    }

    @Bean
    PaymentRepository paymentRepository(Shards shards, PaymentEvents events, TransactionProperties properties,
                                        MeterRegistry meters) {
        return new PaymentRepository(shards, events, properties.inquirySchedule(),
                new dev.nightjar.transaction.payment.PaymentOutcomes(meters));
    }

    @Bean
    dev.nightjar.transaction.retry.PaymentRetries paymentRetries(dev.nightjar.transaction.payment.PaymentService payments,
                                                                   PaymentRepository repository,
                                                                   Collaborators collaborators,
                                                                   KafkaTemplate<String, byte[]> eventKafkaTemplate,
                                                                   TransactionProperties properties, MeterRegistry meters) {
        return new dev.nightjar.transaction.retry.PaymentRetries(payments, repository, collaborators, eventKafkaTemplate,
                properties.inquirySchedule(), java.time.Clock.systemUTC(), meters);
    }

    @Bean
    dev.nightjar.transaction.retry.PendingRecovery pendingRecovery(PaymentRepository repository,
                                                                     dev.nightjar.transaction.payment.PaymentService payments,
                                                                     dev.nightjar.transaction.refund.RefundService refunds,
                                                                     Collaborators collaborators,
                                                                     TransactionProperties properties, MeterRegistry meters) {
        return new dev.nightjar.transaction.retry.PendingRecovery(repository, payments, refunds, collaborators, properties,
                java.time.Clock.systemUTC(), meters);
    }

    @Bean
    PaymentSettlements paymentSettlements(Shards shards, PaymentRepository payments, SettlementProperties properties,
                                          MeterRegistry meters) {
        return new PaymentSettlements(shards, payments, properties, java.time.Clock.systemUTC(), meters);
    }

    @Bean
    SettlementEventsConsumer settlementEventsConsumer(PaymentSettlements settlements,
                                                      KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters,
                                                      EventSpans spans) {
        return new SettlementEventsConsumer(settlements, eventKafkaTemplate, meters, spans);
    }

    @Bean
    Collaborators collaborators(InternalClients clients, TransactionProperties properties, MeterRegistry meters) {
        Availability auth = new Availability(dev.nightjar.common.security.Identities.AUTH, properties.authFailuresToOpen(),
                properties.authAwayFor(), properties.authAwayForMax()).register(meters);
        return new Collaborators(clients, properties, auth, meters);
    }

    @Bean
    dev.nightjar.transaction.payment.AuthResponsesConsumer authResponsesConsumer(PaymentService payments,
                                                                                 KafkaTemplate<String, byte[]> eventKafkaTemplate,
                                                                                 MeterRegistry meters, EventSpans spans) {
        return new dev.nightjar.transaction.payment.AuthResponsesConsumer(payments, eventKafkaTemplate, meters, spans);
    }

    @Bean
    dev.nightjar.transaction.payment.PaymentRequestsConsumer paymentRequestsConsumer(PaymentService payments,
                                                                                     KafkaTemplate<String, byte[]> eventKafkaTemplate,
                                                                                     MeterRegistry meters, EventSpans spans) {
        return new dev.nightjar.transaction.payment.PaymentRequestsConsumer(payments, eventKafkaTemplate, meters, spans);
    }

    @Bean
    dev.nightjar.transaction.review.PaymentFlags paymentFlags(Shards shards) {
        return new dev.nightjar.transaction.review.PaymentFlags(shards);
    }

    @Bean
    dev.nightjar.transaction.review.ReviewService reviewService(PaymentService payments,
                                                                dev.nightjar.transaction.refund.RefundService refunds,
                                                                dev.nightjar.transaction.review.PaymentFlags flags) {
        return new dev.nightjar.transaction.review.ReviewService(payments, refunds, flags);
    }

    @Bean
    dev.nightjar.transaction.review.RiskEventsConsumer riskEventsConsumer(dev.nightjar.transaction.review.PaymentFlags flags,
                                                                          KafkaTemplate<String, byte[]> eventKafkaTemplate,
                                                                          MeterRegistry meters, EventSpans spans) {
        return new dev.nightjar.transaction.review.RiskEventsConsumer(flags, eventKafkaTemplate, meters, spans);
    }

    @Bean
    dev.nightjar.transaction.refund.RefundService refundService(PaymentRepository payments, Collaborators collaborators) {
        return new dev.nightjar.transaction.refund.RefundService(payments, collaborators, java.time.Clock.systemUTC());
    }

    @Bean
    PaymentService paymentService(PaymentRepository payments, Collaborators collaborators, TraceContexts traces) {
        return new PaymentService(payments, collaborators, traces, java.time.Clock.systemUTC());
    }

    /**
     * One outbox relay per shard, started and stopped with the application, woken by the payment repository, the
     * only writer of the shards' outboxes.
     */
    @Bean
    OutboxRelays outboxRelays(Shards shards, PaymentRepository payments, KafkaTemplate<String, byte[]> eventKafkaTemplate,
                              MeterRegistry meters, EventSpans spans, OutboxRelay.Pacing pacing,
                              UnrecordedKafkaSends<String, byte[]> unrecordedEventSends) {
        return new OutboxRelays(shards.all().stream()
                .map(shard -> new OutboxRelay("transaction-shard-" + shard.index(), shard.dataSource(),
                        eventKafkaTemplate, meters, spans, payments.outboxSignal(shard.index()), pacing,
                        unrecordedEventSends))
                .toList());
    }

    @Bean
    PartitionMaintenance partitionMaintenance(Shards shards, TransactionProperties properties) {
        PartitionMaintenance maintenance = new PartitionMaintenance(
                shards.all().stream().map(Shard::jdbc).toList(), List.of("payments", "refunds"), properties.partitionMonthsAhead());
        maintenance.run();
        return maintenance;
    }

    /**
     * The payment path before the service reports ready ({@link RequestPathWarmUp}): a create refused for its
     * amount (validated before anything is written) and the read of a payment that does not exist.
     */
    @Bean
    RequestPathWarmUp.Requests warmUpRequests() {
        String merchant = RequestPathWarmUp.MERCHANT;
        return () -> List.of(
                RequestPathWarmUp.Request.post(TransactionContract.PAYMENTS.replace("{merchantId}", merchant),
                        new TransactionContract.CreatePayment("warm-up", 0, "EUR", "automatic", "tok_warmup", null,
                                "warm-up", null, java.util.Map.of()), 400),
                RequestPathWarmUp.Request.get(TransactionContract.PAYMENT.replace("{merchantId}", merchant)
                        .replace("{paymentId}", "pay_warmup"), 404));
    }
}
