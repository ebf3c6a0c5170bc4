package dev.nightjar.settlement.batch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Settlement batches by step, on settlement's real schema, next to the batches counter they must not collide with. */
class BatchStatesTest {

    @Test
    void eachStepCountsItsBatchesAndABatchMovingOnMovesItsCount() {
        TestPostgres.TestDatabase database = TestPostgres.migrated("settlement_batch_states", "settlement");
        JdbcClient owner = JdbcClient.create(database.owner());
        JdbcClient app = JdbcClient.create(database.app());
        owner.sql("DELETE FROM settlement_batches").update();
        batch(owner, "stb_1", "created");
        batch(owner, "stb_2", "submitted");
        batch(owner, "stb_3", "submitted");
        batch(owner, "stb_4", "done");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new SettlementMetrics(meters);
        BatchStates states = new BatchStates(app, meters);

        states.refresh();
        assertThat(meters.scrape()).contains(
                "nightjar_settlement_batches_by_state{state=\"created\"} 1.0",
                "nightjar_settlement_batches_by_state{state=\"submitted\"} 2.0",
                "nightjar_settlement_batches_by_state{state=\"reported\"} 0.0",
                "nightjar_settlement_batches_by_state{state=\"done\"} 1.0",
                "nightjar_settlement_batches_total{outcome=\"clean\"} 0.0");

        app.sql("UPDATE settlement_batches SET step = 'reported' WHERE id = 'stb_2'").update();
        states.refresh();
        assertThat(meters.scrape()).contains(
                "nightjar_settlement_batches_by_state{state=\"submitted\"} 1.0",
                "nightjar_settlement_batches_by_state{state=\"reported\"} 1.0");
    }

    private static void batch(JdbcClient jdbc, String id, String step) {
        jdbc.sql("""
                        INSERT INTO settlement_batches (id, acquirer, currency, cutoff_at, settlement_date, step, item_count,
                                                        items_amount_minor)
                        VALUES (:id, 'acquirer-a', 'EUR', now(), current_date, :step, 0, 0)""")
                .param("id", id).param("step", step).update();
    }
}
