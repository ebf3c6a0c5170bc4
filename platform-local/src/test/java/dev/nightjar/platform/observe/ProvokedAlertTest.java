package dev.nightjar.platform.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What counts as an alert the observe check's outage provoked, and which instance of an alert it looks at. */
class ProvokedAlertTest {

    private static final Instant OUTAGE_START = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void anInstanceFiringSinceTheOutageBeganWasProvokedByIt() {
        assertThat(new ObserveCheck.ProvokedAlert("PaymentLatencyBudgetBurn", "firing", OUTAGE_START.plusSeconds(40), 0, OUTAGE_START).fired())
                .isTrue();
    }

    @Test
    void anInstanceActiveBeforeTheOutageProvesNothingAboutIt() {
        assertThat(new ObserveCheck.ProvokedAlert("PaymentLatencyBudgetBurn", "firing", OUTAGE_START.minusSeconds(1), 0, OUTAGE_START).fired())
                .isFalse();
    }

    @Test
    void pendingCountsOnlyWhenTheAlertsForOutlastsTheOutageTheCheckHolds() {
        Instant since = OUTAGE_START.plusSeconds(30);
        assertThat(new ObserveCheck.ProvokedAlert("AcquirerCircuitBreakerOpen", "pending", since, 300, OUTAGE_START).fired()).isTrue();
        assertThat(new ObserveCheck.ProvokedAlert("AcquirerCircuitBreakerOpen", "pending", since, 60, OUTAGE_START).fired()).isFalse();
    }

    @Test
    void anInactiveAlertWasNotProvoked() {
        assertThat(new ObserveCheck.ProvokedAlert("AcquirerCircuitBreakerOpen", "inactive", null, 300, OUTAGE_START).fired()).isFalse();
    }

    @Test
    void theFastBurnProvocationIgnoresTheSixHourWindowsInstance() {
        ObserveCheck.Provocation fastBurn = ObserveCheck.PROVOCATIONS.getFirst();

        assertThat(fastBurn.matches(Json.MAPPER.readTree("{\"labels\": {\"long_window\": \"1h\", \"service\": \"gateway-service\"}}")))
                .isTrue();
        assertThat(fastBurn.matches(Json.MAPPER.readTree("{\"labels\": {\"long_window\": \"6h\", \"service\": \"gateway-service\"}}")))
                .isFalse();
    }

    @Test
    void theBreakerProvocationIsAcquirerAsBreakerAlone() {
        ObserveCheck.Provocation breaker = ObserveCheck.PROVOCATIONS.get(1);

        assertThat(breaker.matches(Json.MAPPER.readTree("{\"labels\": {\"name\": \"acquirer-a\"}}"))).isTrue();
        assertThat(breaker.matches(Json.MAPPER.readTree("{\"labels\": {\"name\": \"acquirer-b\"}}"))).isFalse();
    }

    @Test
    void theNextEvaluationIsTheEarliestOfTheGroupsHoldingAProvokedAlert() {
        String groups = """
                [{"name": "slo", "interval": 5, "lastEvaluation": "2026-12-01T10:00:03.5Z",
                  "rules": [{"name": "PaymentLatencyBudgetBurn", "type": "alerting"}]},
                 {"name": "acquirers", "interval": 5, "lastEvaluation": "2026-12-01T10:00:01.25Z",
                  "rules": [{"name": "AcquirerCircuitBreakerOpen", "type": "alerting"}]},
                 {"name": "ledger", "interval": 5, "lastEvaluation": "2026-12-01T09:59:00Z",
                  "rules": [{"name": "LedgerIntegrityCheckFailed", "type": "alerting"}]}]""";

        assertThat(ObserveCheck.nextEvaluation(Json.MAPPER.readTree(groups))).isEqualTo(Instant.parse("2026-12-01T10:00:06.25Z"));
    }
}
