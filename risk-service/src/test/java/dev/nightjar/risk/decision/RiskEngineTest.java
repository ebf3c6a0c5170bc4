package dev.nightjar.risk.decision;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.risk.features.FeatureDelta;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.model.RiskModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RiskEngineTest {

    private static final RiskModel MODEL = RiskModel.fromClasspath();
    private static final long MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
    private static final long AFTERNOON = MIDNIGHT + 14 * 3_600_000L + 20_000L;
    private static final List<RiskProperties.CardMatch> APPROVED_TEST_CARDS = List.of(
            new RiskProperties.CardMatch("424242", "4242"), new RiskProperties.CardMatch("555555", "4444"),
            new RiskProperties.CardMatch("378282", "0005"));

    private final FeatureStore store = new FeatureStore(new FeatureStore.Limits(10_000, 1_000, 10_000));

    private RiskEngine engine(boolean testMode) {
        return new RiskEngine(new RiskProperties(65, 90, List.of(
                new RiskProperties.TestCardRule("400000", "4954", 75, "test_card_review"),
                new RiskProperties.TestCardRule("410000", "0019", 95, "test_card_fraudulent")),
                testMode, APPROVED_TEST_CARDS, RiskProperties.Rules.defaults(), RiskProperties.FeatureLimits.defaults()),
                MODEL, store, () -> AFTERNOON);
    }

    private static DecisionRequest request(String merchant, String bin, String last4, long amountMinor, String currency) {
        return new DecisionRequest("pay_1", merchant, amountMinor, currency,
                new CardDetails("visa", bin, last4, 12, 2030, "fp_" + bin + last4), null, null, null);
    }

    private void paid(DecisionRequest request, int times, long atMillis) {
        List<FeatureDelta> deltas = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            FeatureDelta.attempt(request.merchantId(), request.card().fingerprint(), request.customerIp(),
                    request.amountMinor(), request.currency(), atMillis / 60_000L, deltas);
        }
        store.applyAll(deltas);
    }

    @Test
    void scoreAtTheReviewThresholdIsReviewAndAtTheBlockThresholdIsBlock() {
        RiskEngine engine = engine(false);
        assertThat(engine.decisionFor(64)).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
        assertThat(engine.decisionFor(65)).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.REVIEW);
        assertThat(engine.decisionFor(89)).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.REVIEW);
        assertThat(engine.decisionFor(90)).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.BLOCK);
    }

    @Test
    void testCardRuleMatchesOnlyBothBinAndLastFour() {
        RiskEngine engine = engine(false);
        assertThat(engine.decide(request("mer_1", "400000", "4954", 1000, "EUR")).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.REVIEW);
        assertThat(engine.decide(request("mer_1", "400000", "4955", 1000, "EUR")).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
        assertThat(engine.decide(request("mer_1", "400001", "4954", 1000, "EUR")).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
        assertThat(engine.decide(request("mer_1", "410000", "0019", 1000, "EUR")).reasons()).containsExactly("test_card_fraudulent");
    }

    @Test
    void approvedTestCardsAreAllowedOnFirstUseForOrdinaryAmountsAtAnyHour() {
        RiskEngine engine = engine(true);
        for (RiskProperties.CardMatch card : APPROVED_TEST_CARDS) {
            for (int hour = 0; hour < 24; hour++) {
                long at = MIDNIGHT + hour * 3_600_000L + 1_000L;
                for (long amount : new long[] {100, 500, 1999, 5000}) {
                    Decision decision = engine.decide(request("mer_fresh", card.bin(), card.last4(), amount, "EUR"), at);
                    assertThat(decision.decision()).as("%s at %02d:00, %d EUR minor: %s", card, hour, amount, decision)
                            .isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
                }
                assertThat(engine.decide(request("mer_fresh", card.bin(), card.last4(), 500, "JPY"), at).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
                assertThat(engine.decide(request("mer_fresh", card.bin(), card.last4(), 1230, "BHD"), at).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
            }
        }
    }

    @Test
    void inTestModeAnApprovedTestCardMayPayHundredsOfTimesAMinute() {
        RiskEngine engine = engine(true);
        DecisionRequest visa = request("mer_bench", "424242", "4242", 1999, "EUR");
        paid(visa, 20_000, AFTERNOON - 3_600_000L);
        paid(visa, 500, AFTERNOON);

        Decision decision = engine.decide(visa);
        assertThat(decision.decision()).as(decision.toString()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
        assertThat(engine.decide(request("mer_bench", "424242", "4242", 100, "EUR")).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
        assertThat(engine.decide(request("mer_bench", "424242", "4242", 5000, "EUR")).decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.ALLOW);
    }

    @Test
    void outsideTestModeTheSameVelocityIsBlocked() {
        RiskEngine engine = engine(false);
        DecisionRequest visa = request("mer_bench", "424242", "4242", 1999, "EUR");
        paid(visa, 500, AFTERNOON);

        Decision decision = engine.decide(visa);
        assertThat(decision.decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.BLOCK);
        assertThat(decision.reasons()).first().isEqualTo("velocity_card_1h");
    }

    @Test
    void theSixthPaymentOfACardWithinAMinuteScoresHigherThanTheFirst() {
        RiskEngine engine = engine(false);
        DecisionRequest card = request("mer_1", "453201", "7788", 1999, "EUR");
        int first = engine.decide(card).score();
        paid(card, 5, AFTERNOON);

        Decision sixth = engine.decide(card);
        assertThat(sixth.score()).isGreaterThan(first);
        assertThat(sixth.reasons()).contains("velocity_card_1m");
    }

    @Test
    void aCardUsedTenTimesInAMinuteIsHeldEvenWhereTheModelHesitates() {
        RiskEngine engine = engine(false);
        DecisionRequest card = request("mer_1", "453201", "7788", 1999, "EUR");
        paid(card, 10, AFTERNOON);

        Decision decision = engine.decide(card);
        assertThat(decision.score()).isGreaterThanOrEqualTo(65);
        assertThat(decision.reasons()).contains("velocity_card_1m");
    }

    @Test
    void anAmountFarAboveTheMerchantsUsualIsNamedAsTheReason() {
        RiskEngine engine = engine(false);
        for (int i = 0; i < 300; i++) {
            paid(request("mer_shop", "453201", String.format("%04d", i), 2500, "EUR"), 1, AFTERNOON - 7_200_000L + i * 1000L);
        }
        Decision decision = engine.decide(request("mer_shop", "453299", "1234", 2_000_000, "EUR"));

        assertThat(decision.score()).isGreaterThanOrEqualTo(65);
        assertThat(decision.reasons()).contains("amount_anomaly");
    }
}
