package dev.nightjar.ledger.journal;

import java.util.Map;

/**
 * Nightjar's fees to merchants, taken at capture: basis points of the captured amount (rounded half up)
 * plus a fixed amount per currency, never more than the amount itself. A merchant may have its own rate.
 * Refunds return no fee.
 *
 * @param basisPoints       the default rate, in hundredths of a percent
 * @param fixedMinor        a fixed fee per capture by currency (minor units), none where absent
 * @param merchantBasisPoints rates agreed with particular merchants, by merchant id
 */
public record FeeSchedule(int basisPoints, Map<String, Long> fixedMinor, Map<String, Integer> merchantBasisPoints) {

    public FeeSchedule {
        fixedMinor = Map.copyOf(fixedMinor == null ? Map.of() : fixedMinor);
        merchantBasisPoints = Map.copyOf(merchantBasisPoints == null ? Map.of() : merchantBasisPoints);
        if (basisPoints < 0 || basisPoints > 10_000) {
            throw new IllegalArgumentException("fee basis points must be within 0..10000");
        }
    }

    public static FeeSchedule none() {
        return new FeeSchedule(0, Map.of(), Map.of());
    }

    /** The fee on capturing {@code amountMinor} for this merchant. */
    public long captureFee(String merchantId, String currency, long amountMinor) {
        long rate = merchantBasisPoints.getOrDefault(merchantId, basisPoints);
        long fee = Math.addExact(Math.multiplyExact(amountMinor, rate), 5_000) / 10_000
                + fixedMinor.getOrDefault(currency, 0L);
        return Math.min(fee, amountMinor);
    }
}
