package dev.nightjar.common.event;

import java.time.LocalDate;

/** A settlement batch, a settled payment or a payout, on {@code settlement_events}. */
public record SettlementEvent(
        String batchId,
        String merchantId,
        String paymentId,
        String acquirer,
        String kind,
        long amountMinor,
        long feeMinor,
        String currency,
        LocalDate settlementDate) {
}
