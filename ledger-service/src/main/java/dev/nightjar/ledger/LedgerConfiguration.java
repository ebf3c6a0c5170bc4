package dev.nightjar.ledger;

import dev.nightjar.common.shard.PartitionMaintenance;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.ShardProperties;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.common.shard.ShardsHealthIndicator;
import dev.nightjar.ledger.consumer.PaymentEventsConsumer;
import dev.nightjar.ledger.journal.Journal;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({ShardProperties.class, LedgerConfiguration.LedgerProperties.class})
class LedgerConfiguration {

    /** @param partitionMonthsAhead monthly journal partitions kept ready ahead of today */
    @ConfigurationProperties("nightjar.ledger")
    record LedgerProperties(@DefaultValue("3") int partitionMonthsAhead) {
    }

    @Bean(destroyMethod = "close")
    Shards shards(ShardProperties properties) {
        return Shards.open(properties, "ledger");
    }

    @Bean
    ShardsHealthIndicator shardsHealthIndicator(Shards shards) {
        return new ShardsHealthIndicator(shards);
    }

    @Bean
    Journal journal(Shards shards) {
        return new Journal(shards);
    }

    @Bean
    PaymentEventsConsumer paymentEventsConsumer(Shards shards, Journal journal,
                                                KafkaTemplate<String, byte[]> eventKafkaTemplate, MeterRegistry meters) {
        return new PaymentEventsConsumer(shards, journal, eventKafkaTemplate, meters);
    }

    @Bean
    PartitionMaintenance partitionMaintenance(Shards shards, LedgerProperties properties) {
        PartitionMaintenance maintenance = new PartitionMaintenance(shards.all().stream().map(Shard::jdbc).toList(),
                List.of("journal_entries"), properties.partitionMonthsAhead());
        maintenance.run();
        return maintenance;
    }
}
