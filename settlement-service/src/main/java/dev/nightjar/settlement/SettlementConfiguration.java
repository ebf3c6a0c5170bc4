package dev.nightjar.settlement;

import dev.nightjar.settlement.item.SettlementItems;
import dev.nightjar.settlement.item.SettlementItemsConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class SettlementConfiguration {

    @Bean
    SettlementItems settlementItems(JdbcClient jdbc, TransactionTemplate transactions) {
        return new SettlementItems(jdbc, transactions);
    }

    @Bean
    SettlementItemsConsumer settlementItemsConsumer(SettlementItems items, KafkaTemplate<String, byte[]> eventKafkaTemplate) {
        return new SettlementItemsConsumer(items, eventKafkaTemplate);
    }
}
