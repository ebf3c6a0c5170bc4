package dev.nightjar.ledger;

import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.common.shard.PartitionMaintenance;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.common.shard.ShardsHealthIndicator;
import dev.nightjar.ledger.consumer.CrashPoints;
import dev.nightjar.ledger.consumer.LedgerEventsConsumer;
import dev.nightjar.ledger.consumer.TransactionalListener;
import dev.nightjar.ledger.integrity.IntegrityCheck;
import dev.nightjar.ledger.integrity.IntegrityGauges;
import dev.nightjar.ledger.journal.Bookkeeping;
import dev.nightjar.ledger.journal.FeeSchedule;
import dev.nightjar.ledger.journal.Journal;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({ShardProperties.class, LedgerConfiguration.LedgerProperties.class})
class LedgerConfiguration {

    /**
     * @param partitionMonthsAhead monthly journal partitions kept ready ahead of today
     * @param transactionalId      this instance's Kafka transactional id prefix: stable across restarts of the
     *                             same instance, different between instances
     * @param crashAt              a crash point to halt at (tests of the crash windows only)
     * @param fees                 Nightjar's fees to merchants
     */
    @ConfigurationProperties("nightjar.ledger")
    record LedgerProperties(@DefaultValue("3") int partitionMonthsAhead,
                            @DefaultValue("ledger-service") String transactionalId,
                            String crashAt,
                            @DefaultValue Fees fees) {
    }

    /**
     * @param basisPoints         the default rate on captures, in hundredths of a percent
     * @param fixedMinor          a fixed fee per capture by currency
     * @param merchantBasisPoints rates agreed with particular merchants
     */
    record Fees(@DefaultValue("140") int basisPoints, Map<String, Long> fixedMinor,
                Map<String, Integer> merchantBasisPoints) {
    }

    @Bean(destroyMethod = "close")
    Shards shards(ShardProperties properties, MeterRegistry meters) {
        return Shards.open(properties, "ledger", meters);
    }

    @Bean
    ShardsHealthIndicator shardsHealthIndicator(Shards shards) {
        return new ShardsHealthIndicator(shards);
    }

    @Bean
    FeeSchedule feeSchedule(LedgerProperties properties) {
        Fees fees = properties.fees();
        return new FeeSchedule(fees.basisPoints(), fees.fixedMinor(), fees.merchantBasisPoints());
    }

    @Bean
    Journal journal(Shards shards, FeeSchedule fees) {
        return new Journal(shards, new Bookkeeping(fees));
    }

    @Bean
    IntegrityCheck integrityCheck(Shards shards, MeterRegistry meters,
                                  @Value("${nightjar.ledger.integrity-full-interval:24h}") Duration fullEvery,
                                  @Value("${nightjar.ledger.integrity-walk-share:0.25}") double walkShare) {
        return new IntegrityCheck(shards, new IntegrityGauges(meters, Clock.systemUTC()),
                Clock.systemUTC(), fullEvery, walkShare);
    }

    @Bean
    ScheduledIntegrityCheck scheduledIntegrityCheck(IntegrityCheck check) {
        return new ScheduledIntegrityCheck(check);
    }

    /**
     * The integrity check on a schedule, so its gauges say how the ledger stands without anyone asking: hourly by
     * default ({@code nightjar.ledger.integrity-interval}), the first ten minutes after the start
     * ({@code nightjar.ledger.integrity-first-after}). The first check after a start and then one a day
     * ({@code nightjar.ledger.integrity-full-interval}) read every shard's journal; on two million payments that
     * walk keeps most of a core busy for two minutes, not for a restarted fleet still compiling its code and taking
     * its first payments. The checks between read only the entries appended since the last clean check. A
     * scheduled check walks at a quarter of the wall clock ({@code nightjar.ledger.integrity-walk-share}), pausing
     * between stretches of work, so that a full walk does not take the CPU the payments need.
     */
    record ScheduledIntegrityCheck(IntegrityCheck check) {

        private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ScheduledIntegrityCheck.class);

        @org.springframework.scheduling.annotation.Scheduled(
                fixedDelayString = "${nightjar.ledger.integrity-interval:1h}",
                initialDelayString = "${nightjar.ledger.integrity-first-after:10m}")
        void run() {
            IntegrityCheck.Report report = check.runScheduled();
            if (!report.ok()) {
                log.error("ledger integrity check: {} findings, first: {}", report.findings().size(), report.findings().get(0));
            }
        }
    }

    @Bean(destroyMethod = "close")
    TransactionalListener transactionalListener(KafkaProperties kafka, LedgerProperties properties) {
        return new TransactionalListener(kafka, properties.transactionalId());
    }

    @Bean(TransactionalListener.FACTORY)
    ConcurrentKafkaListenerContainerFactory<String, byte[]> ledgerTransactionalListenerFactory(
            ConsumerFactory<String, byte[]> eventConsumerFactory, TransactionalListener transactionalListener) {
        return transactionalListener.containerFactory(eventConsumerFactory);
    }

    @Bean
    LedgerEventsConsumer ledgerEventsConsumer(Journal journal, TransactionalListener transactionalListener,
                                              LedgerProperties properties, MeterRegistry meters, EventSpans spans) {
        return new LedgerEventsConsumer(journal, transactionalListener.template(), new CrashPoints(properties.crashAt()),
                meters, spans);
    }

    @Bean
    PartitionMaintenance partitionMaintenance(Shards shards, LedgerProperties properties) {
        PartitionMaintenance maintenance = new PartitionMaintenance(shards.all().stream().map(Shard::jdbc).toList(),
                List.of("journal_entries"), properties.partitionMonthsAhead());
        maintenance.run();
        return maintenance;
    }
}
