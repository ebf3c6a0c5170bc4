package dev.nightjar.risk.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureStoreTest {

    private static final long NOW_MINUTE = 29_000_000L + 14 * 60; // 14:20 UTC
    private static final long NOW = NOW_MINUTE * 60_000L + 30_000L;

    private static void pay(FeatureStore store, String merchant, String fingerprint, String ip, long amountMinor,
                            long minute, boolean declined) {
        List<FeatureDelta> deltas = new ArrayList<>();
        FeatureDelta.attempt(merchant, fingerprint, ip, amountMinor, "EUR", minute, deltas);
        if (declined) {
            FeatureDelta.decline(merchant, fingerprint, minute, deltas);
        }
        store.applyAll(deltas);
    }

    private static DecisionRequest request(String merchant, String fingerprint, String ip, long amountMinor) {
        return new DecisionRequest("pay_x", merchant, amountMinor, "EUR",
                new CardDetails("visa", "453201", "7788", 12, 2030, fingerprint), ip, "DE", "DE");
    }

    @Test
    void cardIpAndMerchantWindowsCountEveryAttempt() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        pay(store, "mer_1", "fp_1", "10.0.0.1", 1000, NOW_MINUTE - 90, false);
        pay(store, "mer_1", "fp_1", "10.0.0.1", 1000, NOW_MINUTE - 30, true);
        pay(store, "mer_1", "fp_1", "10.0.0.1", 1000, NOW_MINUTE, false);
        pay(store, "mer_1", "fp_2", "10.0.0.1", 1000, NOW_MINUTE, false);

        FeatureStore.CardCounts card = store.cardCounts("fp_1", NOW).orElseThrow();
        assertThat(card.paymentsLastHour()).isEqualTo(2);
        assertThat(card.paymentsLastDay()).isEqualTo(3);
        assertThat(card.declinesLastHour()).isEqualTo(1);
        assertThat(card.distinctMerchantsLastDay()).isEqualTo(1);
        assertThat(card.firstSeenMinute()).isEqualTo(NOW_MINUTE - 90);
        assertThat(store.ipCounts("10.0.0.1", NOW).orElseThrow().distinctCardsLastHour()).isEqualTo(2);
        assertThat(store.merchantCounts("mer_1", NOW).orElseThrow().paymentsLastHour()).isEqualTo(3);
    }

    @Test
    void cardsAndAddressesIdleForMoreThanTheDayAreDropped() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        pay(store, "mer_1", "fp_old", "10.0.0.1", 1000, NOW_MINUTE - FeatureStore.IDLE_MINUTES - 1, false);
        pay(store, "mer_1", "fp_new", "10.0.0.2", 1000, NOW_MINUTE - 10, false);

        store.maintain(NOW_MINUTE);

        assertThat(store.cardCounts("fp_old", NOW)).isEmpty();
        assertThat(store.ipCounts("10.0.0.1", NOW)).isEmpty();
        assertThat(store.cardCounts("fp_new", NOW)).isPresent();
        assertThat(store.ipCounts("10.0.0.2", NOW)).isPresent();
        assertThat(store.merchantCounts("mer_1", NOW)).as("merchants keep their amount statistics").isPresent();
    }

    @Test
    void pastItsLimitTheStoreDropsTheCardsIdleLongest() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(10, 100, 100));
        for (int i = 0; i < 11; i++) {
            pay(store, "mer_1", "fp_" + i, null, 1000, NOW_MINUTE - 100 + i, false);
        }

        assertThat(store.cardCount()).isLessThanOrEqualTo(10);
        assertThat(store.cardCounts("fp_10", NOW)).as("the newest card stays").isPresent();
        assertThat(store.cardCounts("fp_0", NOW)).as("the oldest card made room").isEmpty();
    }

    @Test
    void featuresReflectTheCardsRecentPayments() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        double[] before = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_1", "10.0.0.1", 1000), NOW, false, before);
        for (int i = 0; i < 5; i++) {
            pay(store, "mer_1", "fp_1", "10.0.0.1", 1000, NOW_MINUTE, false);
        }
        double[] after = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_1", "10.0.0.1", 1000), NOW, false, after);

        assertThat(before[Features.NEW_CARD]).isEqualTo(1.0);
        assertThat(before[Features.VELOCITY_CARD_1H]).isZero();
        assertThat(after[Features.VELOCITY_CARD_1M]).isEqualTo(Math.log1p(5));
        assertThat(after[Features.VELOCITY_CARD_1H]).isEqualTo(Math.log1p(5));
        assertThat(after[Features.VELOCITY_IP_1H]).isEqualTo(Math.log1p(5));
        assertThat(after[Features.NEW_CARD]).as("first seen minutes ago: still new").isEqualTo(1.0);
    }

    @Test
    void ignoringVelocityReadsEveryVelocityFeatureAsAFirstSighting() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        for (int i = 0; i < 50; i++) {
            pay(store, "mer_1", "fp_1", "10.0.0.1", 1000, NOW_MINUTE, i % 2 == 0);
        }
        double[] x = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_1", "10.0.0.1", 1000), NOW, true, x);

        for (int j = 0; j < Features.COUNT; j++) {
            if (Features.isVelocity(j)) {
                assertThat(x[j]).as(Features.NAMES.get(j)).isZero();
            }
        }
        assertThat(x[Features.AMOUNT_LOG]).isPositive();
    }

    @Test
    void anAmountFarAboveTheMerchantsUsualIsAnAnomalyAndAnOrdinaryOneIsNot() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(1000, 100, 100));
        for (int i = 0; i < 200; i++) {
            pay(store, "mer_1", "fp_" + i, null, 1500 + (i % 10) * 100, NOW_MINUTE - 600 + i, false);
        }
        double[] ordinary = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_new", null, 2000), NOW, false, ordinary);
        double[] large = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_new", null, 200_000), NOW, false, large);

        assertThat(ordinary[Features.AMOUNT_ANOMALY]).isLessThan(1.0);
        assertThat(large[Features.AMOUNT_ANOMALY]).isGreaterThan(4.0);
        assertThat(large[Features.NEW_CARD_HIGH_AMOUNT]).isEqualTo(large[Features.AMOUNT_ANOMALY]);
    }

    @Test
    void countriesThatDifferAreAMismatchAndUnknownOnesAreNot() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        CardDetails card = new CardDetails("visa", "453201", "7788", 12, 2030, "fp_1");
        double[] x = new double[Features.COUNT];
        Features.extract(store, new DecisionRequest("pay_x", "mer_1", 1000, "EUR", card, "10.0.0.1", "NG", "DE"), NOW, false, x);
        assertThat(x[Features.COUNTRY_MISMATCH]).isEqualTo(1.0);
        Features.extract(store, new DecisionRequest("pay_x", "mer_1", 1000, "EUR", card, null, null, "DE"), NOW, false, x);
        assertThat(x[Features.COUNTRY_MISMATCH]).isZero();
    }

    @Test
    void nightIsMidnightToSixUtc() {
        FeatureStore store = new FeatureStore(new FeatureStore.Limits(100, 100, 100));
        long midnight = Math.floorDiv(NOW, 86_400_000L) * 86_400_000L;
        double[] x = new double[Features.COUNT];
        Features.extract(store, request("mer_1", "fp_1", null, 1000), midnight + 5 * 3_600_000L + 3_599_999L, false, x);
        assertThat(x[Features.NIGHT_TIME]).isEqualTo(1.0);
        Features.extract(store, request("mer_1", "fp_1", null, 1000), midnight + 6 * 3_600_000L, false, x);
        assertThat(x[Features.NIGHT_TIME]).isZero();
    }
}
