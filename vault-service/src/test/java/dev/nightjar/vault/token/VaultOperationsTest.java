package dev.nightjar.vault.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** nightjar_vault_operations_seconds{operation,outcome}: every operation timed, completed or not. */
class VaultOperationsTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final VaultOperations operations = new VaultOperations(meters);

    @Test
    void anOperationThatCompletesCountsAsOkAndOneThatThrowsAsErrorWithItsExceptionPassedOn() {
        assertThat(operations.timed("tokenize", () -> "tok_1")).isEqualTo("tok_1");
        assertThat(operations.timed("tokenize", () -> "tok_2")).isEqualTo("tok_2");
        assertThatThrownBy(() -> operations.timed("detokenize", () -> {
            throw ApiException.notFound("token", "tok_missing");
        })).isInstanceOf(ApiException.class);

        assertThat(meters.scrape()).contains(
                "nightjar_vault_operations_seconds_count{operation=\"tokenize\",outcome=\"ok\"} 2",
                "nightjar_vault_operations_seconds_count{operation=\"detokenize\",outcome=\"error\"} 1",
                "nightjar_vault_operations_seconds_bucket{operation=\"tokenize\",outcome=\"ok\",le=\"0.05\"} 2",
                "nightjar_vault_operations_seconds_bucket{operation=\"tokenize\",outcome=\"ok\",le=\"0.2\"} 2",
                "nightjar_vault_operations_seconds_count{operation=\"detokenize\",outcome=\"ok\"} 0");
    }

    @Test
    void everyOperationsSeriesExistsAtZeroBeforeItsFirstCall() {
        String scrape = meters.scrape();

        for (String operation : VaultOperations.OPERATIONS) {
            assertThat(scrape).contains(
                    "nightjar_vault_operations_seconds_count{operation=\"" + operation + "\",outcome=\"ok\"} 0",
                    "nightjar_vault_operations_seconds_count{operation=\"" + operation + "\",outcome=\"error\"} 0");
        }
    }

    @Test
    void anOperationWithoutATimerIsRefusedBeforeItRuns() {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();

        assertThatThrownBy(() -> operations.timed("tokenise", () -> ran.getAndSet(true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'tokenise'");
        assertThat(ran).isFalse();
        assertThat(meters.scrape()).doesNotContain("operation=\"tokenise\"");
    }
}
