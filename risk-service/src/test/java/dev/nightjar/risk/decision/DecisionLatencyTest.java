package dev.nightjar.risk.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.batch.BatchWriter;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.model.RiskModel;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** nightjar_risk_decision_seconds has buckets at and around the 50 ms risk SLO, whatever the service's configuration. */
class DecisionLatencyTest {

    @Test
    void everyDecisionLandsInTheHistogramWithBucketsAtTheSloThresholds() {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RiskEngine engine = new RiskEngine(new RiskProperties(65, 90, List.of(), false, List.of(),
                RiskProperties.Rules.defaults(), RiskProperties.FeatureLimits.defaults()),
                RiskModel.fromClasspath(), new FeatureStore(new FeatureStore.Limits(100, 100, 100)), System::currentTimeMillis);
        BatchWriter<DecisionLog.LoggedDecision> log = new BatchWriter<>("decisions-test", 100, 10, Duration.ofMillis(10),
                Duration.ZERO, batch -> { }, meters);
        DecisionController controller = new DecisionController(engine, log, meters);

        for (int i = 0; i < 3; i++) {
            controller.decide(new DecisionRequest("pay_" + i, "mer_1", 1999, "EUR",
                    new CardDetails("visa", "424242", "4242", 12, 2030, "fp_1"), null, null, null));
        }

        String scrape = meters.scrape();
        assertThat(scrape).contains("nightjar_risk_decision_seconds_count 3", "nightjar_risk_decision_seconds_bucket{le=\"+Inf\"} 3");
        for (String threshold : new String[] {"0.01", "0.025", "0.05", "0.1"}) {
            assertThat(scrape).contains("nightjar_risk_decision_seconds_bucket{le=\"" + threshold + "\"} ");
        }
    }
}
