package dev.nightjar.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class StaticMembershipTest {

    @Test
    void aNamedInstanceJoinsItsGroupsAsAStaticMemberUnderItsName() {
        Map<String, Object> config = NightjarKafkaConfiguration.consumerConfig(base(), "ledger-service");

        assertThat(config).containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "ledger-service")
                .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    }

    @Test
    void aProcessWithoutAnInstanceNameStaysADynamicMember() {
        assertThat(NightjarKafkaConfiguration.consumerConfig(base(), ""))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(NightjarKafkaConfiguration.consumerConfig(base(), "  "))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        assertThat(NightjarKafkaConfiguration.consumerConfig(base(), null))
                .doesNotContainKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    }

    @Test
    void anInstanceIdConfiguredExplicitlyWins() {
        Map<String, Object> config = base();
        config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "ledger-0");

        assertThat(NightjarKafkaConfiguration.consumerConfig(config, "ledger-service"))
                .containsEntry(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "ledger-0");
    }

    private static Map<String, Object> base() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
        return config;
    }
}
