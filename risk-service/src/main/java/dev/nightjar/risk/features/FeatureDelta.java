package dev.nightjar.risk.features;

import java.util.List;

/**
 * One change to the feature state, as the database stores it and as {@link FeatureStore} applies it. Every
 * update goes through these records, whether it comes from a Kafka batch, the database at start-up or a
 * training replay, so the model is trained on exactly the features the service computes.
 */
public sealed interface FeatureDelta {

    /** What a windowed key identifies; the prefix names it in the database. */
    enum Kind {
        CARD("card:"), MERCHANT("merchant:"), IP("ip:");

        public final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The key without this kind's prefix. */
        public String unprefixed(String key) {
            return key.substring(prefix.length());
        }

        public static Kind ofPrefixed(String key) {
            for (Kind kind : values()) {
                if (key.startsWith(kind.prefix)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("not a feature key: " + key);
        }
    }

    /** Payments and declines of a card, merchant or IP address in one minute. */
    record Bucket(Kind kind, String key, long minute, int payments, int declines) implements FeatureDelta {
    }

    /** A member seen by a key in a minute: a merchant by a card, a card by an IP address. */
    record Member(Kind kind, String key, String member, long minute) implements FeatureDelta {
    }

    /** Log-amount sums of a merchant's payments in one currency. */
    record Amount(String merchantId, String currency, long count, double sum, double sumOfSquares) implements FeatureDelta {
    }

    /** The minute a card was first seen at a merchant (the earliest wins). */
    record FirstSeen(String merchantId, String fingerprint, long minute) implements FeatureDelta {
    }

    /** What one payment attempt changes: it counts once for its card, merchant and IP address. */
    static void attempt(String merchantId, String fingerprint, String ip, long amountMinor, String currency,
                        long minute, List<FeatureDelta> out) {
        out.add(new Bucket(Kind.MERCHANT, merchantId, minute, 1, 0));
        if (currency != null && amountMinor > 0) {
            double logAmount = Math.log1p(ReferenceRates.euros(amountMinor, currency));
            out.add(new Amount(merchantId, currency, 1, logAmount, logAmount * logAmount));
        }
        if (fingerprint != null) {
            out.add(new Bucket(Kind.CARD, fingerprint, minute, 1, 0));
            out.add(new Member(Kind.CARD, fingerprint, merchantId, minute));
            out.add(new FirstSeen(merchantId, fingerprint, minute));
        }
        if (ip != null) {
            out.add(new Bucket(Kind.IP, ip, minute, 1, 0));
            if (fingerprint != null) {
                out.add(new Member(Kind.IP, ip, fingerprint, minute));
            }
        }
    }

    /** What one declined payment changes: a decline for its card and merchant. */
    static void decline(String merchantId, String fingerprint, long minute, List<FeatureDelta> out) {
        out.add(new Bucket(Kind.MERCHANT, merchantId, minute, 0, 1));
        if (fingerprint != null) {
            out.add(new Bucket(Kind.CARD, fingerprint, minute, 0, 1));
        }
    }
}
