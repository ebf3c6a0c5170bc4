package dev.nightjar.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** A called service's settings bind from the service's configuration, each with its default when left out. */
class NightjarPropertiesTest {

    @Test
    void aCalledServicesWarmUpConnectionsAndTimeoutsBindAndDefault() {
        NightjarProperties properties = bind(Map.of(
                "nightjar.clients.vault-service.url", "https://localhost:9101",
                "nightjar.clients.vault-service.read-timeout", "2s",
                "nightjar.clients.vault-service.warm-up-connections", "16",
                "nightjar.clients.risk-service.url", "https://localhost:9103"));

        NightjarProperties.Client vault = properties.clients().get("vault-service");
        assertThat(vault.warmUpConnections()).isEqualTo(16);
        assertThat(vault.readTimeout()).isEqualTo(Duration.ofSeconds(2));
        NightjarProperties.Client risk = properties.clients().get("risk-service");
        assertThat(risk.warmUpConnections()).as("none unless asked for").isZero();
        assertThat(risk.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(risk.readTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    private static NightjarProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bind("nightjar", NightjarProperties.class)
                .orElseThrow(() -> new AssertionError("nothing bound"));
    }
}
