package dev.nightjar.risk.features;

import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import java.util.List;

/**
 * The model's inputs, computed from a decision request and the feature state at one instant. The order of
 * {@link #NAMES} is the order of the model's weights; a feature's name is also the reason given when it
 * drives a score up. Counts enter as {@code ln(1 + n)}: the tenth payment in an hour says more than the
 * hundred-and-tenth.
 */
public final class Features {

    public static final int AMOUNT_LOG = 0;
    public static final int AMOUNT_ANOMALY = 1;
    public static final int AMOUNT_LOW = 2;
    public static final int NEW_CARD = 3;
    public static final int CARD_AGE_DAYS = 4;
    public static final int NEW_CARD_HIGH_AMOUNT = 5;
    public static final int VELOCITY_CARD_1M = 6;
    public static final int VELOCITY_CARD_1H = 7;
    public static final int VELOCITY_CARD_24H = 8;
    public static final int DECLINES_CARD_1H = 9;
    public static final int CARD_TESTING = 10;
    public static final int MERCHANT_DECLINES_10M = 11;
    public static final int VELOCITY_IP_1M = 12;
    public static final int VELOCITY_IP_1H = 13;
    public static final int IP_DISTINCT_CARDS_1H = 14;
    public static final int COUNTRY_MISMATCH = 15;
    public static final int NIGHT_TIME = 16;

    public static final List<String> NAMES = List.of(
            "amount_log", "amount_anomaly", "amount_low", "new_card", "card_age_days", "new_card_high_amount",
            "velocity_card_1m", "velocity_card_1h", "velocity_card_24h", "declines_card_1h",
            "card_testing", "merchant_declines_10m", "velocity_ip_1m", "velocity_ip_1h", "ip_distinct_cards_1h",
            "country_mismatch", "night_time");
    public static final int COUNT = NAMES.size();

    /** z-scores are clipped here: beyond it an amount is simply extreme. */
    static final double MAX_Z = 6.0;
    /** A card first seen at the merchant less than this long ago is still new. */
    static final long NEW_CARD_MINUTES = 24 * 60;
    /** UTC hours [0, 6) count as night. */
    static final int NIGHT_ENDS_HOUR = 6;

    private Features() {
    }

    /** True for the features that count recent activity, which test mode ignores for allow-listed test cards. */
    public static boolean isVelocity(int feature) {
        return feature >= VELOCITY_CARD_1M && feature <= IP_DISTINCT_CARDS_1H;
    }

    /**
     * Writes the features of {@code request} as of {@code nowMillis} into {@code out} (length {@link #COUNT}).
     * With {@code ignoreVelocity} every velocity feature reads as a first sighting.
     */
    public static void extract(FeatureStore store, DecisionRequest request, long nowMillis, boolean ignoreVelocity,
                               double[] out) {
        java.util.Arrays.fill(out, 0.0);
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        double logAmount = Math.log1p(ReferenceRates.euros(request.amountMinor(), request.currency()));
        out[AMOUNT_LOG] = logAmount;

        double z = amountZ(store.merchant(request.merchantId()), request.currency(), logAmount);
        out[AMOUNT_ANOMALY] = Math.max(0.0, z);
        out[AMOUNT_LOW] = Math.max(0.0, -z);

        String fingerprint = request.card() == null ? null : request.card().fingerprint();
        FeatureStore.CardState card = store.card(fingerprint);
        long firstSeen = Long.MAX_VALUE;
        if (card != null) {
            synchronized (card) {
                firstSeen = card.firstSeenMinute;
                if (!ignoreVelocity) {
                    out[VELOCITY_CARD_1M] = Math.log1p(card.counts.paymentsLastMinute(nowMillis));
                    out[VELOCITY_CARD_1H] = Math.log1p(card.counts.payments(nowMinute, 60));
                    out[VELOCITY_CARD_24H] = Math.log1p(card.counts.paymentsLastDay(nowMinute));
                    out[DECLINES_CARD_1H] = Math.log1p(card.counts.declines(nowMinute, 60));
                }
            }
        }
        // New: never seen at this merchant, or first seen less than a day ago (a stolen card stays new while used).
        boolean seen = firstSeen <= nowMinute;
        boolean newCard = !seen || nowMinute - firstSeen < NEW_CARD_MINUTES;
        out[NEW_CARD] = newCard ? 1.0 : 0.0;
        out[CARD_AGE_DAYS] = seen ? Math.log1p((nowMinute - firstSeen) / 1440.0) : 0.0;
        out[NEW_CARD_HIGH_AMOUNT] = newCard ? out[AMOUNT_ANOMALY] : 0.0;

        if (!ignoreVelocity) {
            merchantVelocity(store.merchant(request.merchantId()), nowMinute, out);
            ipVelocity(store.ip(request.customerIp()), nowMillis, nowMinute, out);
        }
        out[COUNTRY_MISMATCH] = request.cardCountry() != null && request.ipCountry() != null
                && !request.cardCountry().equalsIgnoreCase(request.ipCountry()) ? 1.0 : 0.0;
        out[NIGHT_TIME] = Math.floorMod(Math.floorDiv(nowMillis, 3_600_000L), 24L) < NIGHT_ENDS_HOUR ? 1.0 : 0.0;
    }

    private static double amountZ(FeatureStore.MerchantState merchant, String currency, double logAmount) {
        double z;
        if (merchant == null) {
            z = AmountStats.priorZScore(logAmount);
        } else {
            synchronized (merchant) {
                AmountStats stats = merchant.amounts(currency);
                z = stats == null ? AmountStats.priorZScore(logAmount) : stats.zScore(logAmount);
            }
        }
        return Math.max(-MAX_Z, Math.min(MAX_Z, z));
    }

    private static void merchantVelocity(FeatureStore.MerchantState merchant, long nowMinute, double[] out) {
        if (merchant == null) {
            return;
        }
        synchronized (merchant) {
            // Payments per minute over the last ten minutes against the merchant's pace over the day: a burst far
            // above its own normal is the shape of card testing (and of a flash sale, which is why it is a
            // feature and not a rule). Ten minutes, not one, so that two payments in a row at a quiet shop are
            // not a burst.
            double recentPace = merchant.counts.payments(nowMinute, 10) / 10.0;
            double dailyPace = merchant.counts.paymentsLastDay(nowMinute) / 1440.0;
            out[CARD_TESTING] = Math.max(0.0, Math.log1p(recentPace) - Math.log1p(dailyPace));
            int declines = merchant.counts.declines(nowMinute, 10);
            out[MERCHANT_DECLINES_10M] = declines / (merchant.counts.payments(nowMinute, 10) + 10.0);
        }
    }

    private static void ipVelocity(FeatureStore.IpState ip, long nowMillis, long nowMinute, double[] out) {
        if (ip == null) {
            return;
        }
        synchronized (ip) {
            out[VELOCITY_IP_1M] = Math.log1p(ip.counts.paymentsLastMinute(nowMillis));
            out[VELOCITY_IP_1H] = Math.log1p(ip.counts.payments(nowMinute, 60));
            out[IP_DISTINCT_CARDS_1H] = Math.log1p(ip.cards.count(nowMinute, 60));
        }
    }
}
