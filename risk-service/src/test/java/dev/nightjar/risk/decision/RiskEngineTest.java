package dev.nightjar.risk.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.contract.CardDetails;
import dev.nightjar.common.contract.RiskContract.DecisionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskEngineTest {

    private final RiskEngine engine = new RiskEngine(new RiskProperties(65, 90, List.of(
            new RiskProperties.TestCardRule("400000", "4954", 75, "test_card_review"),
            new RiskProperties.TestCardRule("410000", "0019", 95, "test_card_fraudulent"))));

    private static DecisionRequest request(String bin, String last4) {
        return new DecisionRequest("pay_1", "mer_1", 1000, "EUR", new CardDetails("visa", bin, last4, 12, 2030, "fp"),
                null, null, null);
    }

    @Test
    void scoreAtTheReviewThresholdIsReviewAndAtTheBlockThresholdIsBlock() {
        assertThat(engine.decisionFor(64)).isEqualTo("allow");
        assertThat(engine.decisionFor(65)).isEqualTo("review");
        assertThat(engine.decisionFor(89)).isEqualTo("review");
        assertThat(engine.decisionFor(90)).isEqualTo("block");
    }

    @Test
    void testCardRuleMatchesOnlyBothBinAndLastFour() {
        assertThat(engine.decide(request("400000", "4954")).decision()).isEqualTo("review");
        assertThat(engine.decide(request("400000", "4955")).decision()).isEqualTo("allow");
        assertThat(engine.decide(request("400001", "4954")).decision()).isEqualTo("allow");
        assertThat(engine.decide(request("410000", "0019")).reasons()).containsExactly("test_card_fraudulent");
    }
}
