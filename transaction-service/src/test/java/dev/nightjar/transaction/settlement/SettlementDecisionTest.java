package dev.nightjar.transaction.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.event.EventTypes;
import dev.nightjar.common.event.SettlementEvent;
import dev.nightjar.transaction.payment.CaptureMethod;
import dev.nightjar.transaction.payment.Payment;
import dev.nightjar.transaction.payment.PaymentStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlementDecisionTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-11-24T22:00:05Z");

    /** A payment in {@code status}; one that took money captured 1999 EUR (and refunded all of it when refunded). */
    private static Payment payment(PaymentStatus status) {
        boolean tookMoney = status == PaymentStatus.CAPTURED || status == PaymentStatus.SETTLED || status == PaymentStatus.REFUNDED;
        long capturable = status.holdsAnOperation() || status == PaymentStatus.AUTHORIZED ? 1999 : 0;
        Payment.InFlight inFlight = status == PaymentStatus.CAPTURING ? new Payment.InFlight(1999, null, "claim_1")
                : status == PaymentStatus.CANCELING ? new Payment.InFlight(0, null, "claim_1") : null;
        return new Payment("pay_1", "mer_1", status, CaptureMethod.AUTOMATIC, 1999, "EUR", capturable,
                tookMoney ? 1999 : 0, status == PaymentStatus.REFUNDED ? 1999 : 0, 0, "tok_1", null, null, null, null,
                null, null, Map.of(), null, inFlight, T0, T0, 3);
    }

    private static SettlementEvent settled(long amountMinor, String currency) {
        return new SettlementEvent("stl_1", "mer_1", "acquirer-a", currency, LocalDate.of(2026, 11, 24), 0, 0, 0, 0,
                "pay_1", amountMinor);
    }

    @Test
    void capturedPaymentSettledForWhatItCapturedBecomesSettledWithItsEvent() {
        SettlementDecision decision = SettlementDecision.of(payment(PaymentStatus.CAPTURED), settled(1999, "EUR"), CUTOFF);
        assertThat(decision).isInstanceOfSatisfying(SettlementDecision.Settle.class, settle -> {
            assertThat(settle.transition().payment().status()).isEqualTo(PaymentStatus.SETTLED);
            assertThat(settle.transition().payment().updatedAt()).isEqualTo(CUTOFF);
            assertThat(settle.transition().payment().version()).isEqualTo(4);
            assertThat(settle.transition().eventTypes()).containsExactly(EventTypes.PAYMENT_SETTLED);
        });
    }

    @Test
    void settledAgainOrRefundedAlreadyChangesNothing() {
        assertThat(SettlementDecision.of(payment(PaymentStatus.SETTLED), settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Acknowledge(PaymentSettlements.Result.ALREADY_SETTLED));
        assertThat(SettlementDecision.of(payment(PaymentStatus.REFUNDED), settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Acknowledge(PaymentSettlements.Result.ALREADY_REFUNDED));
    }

    @Test
    void aPaymentNotCapturedYetParksTheSettlementUntilItIs() {
        for (PaymentStatus status : EnumSet.of(PaymentStatus.AUTHORIZING, PaymentStatus.PENDING, PaymentStatus.REQUIRES_REVIEW,
                PaymentStatus.AUTHORIZED, PaymentStatus.CAPTURING, PaymentStatus.CANCELING)) {
            assertThat(SettlementDecision.of(payment(status), settled(1999, "EUR"), CUTOFF)).as(status.name())
                    .isEqualTo(new SettlementDecision.Park(SettlementDecision.NOT_CAPTURED));
        }
    }

    @Test
    void aPaymentThatEndedWithoutACaptureOrAnotherAmountOrNoPaymentParksItForAPerson() {
        for (PaymentStatus status : EnumSet.of(PaymentStatus.DECLINED, PaymentStatus.CANCELED, PaymentStatus.FAILED)) {
            assertThat(SettlementDecision.of(payment(status), settled(1999, "EUR"), CUTOFF)).as(status.name())
                    .isEqualTo(new SettlementDecision.Park(SettlementDecision.ENDED_WITHOUT_CAPTURE));
        }
        assertThat(SettlementDecision.of(payment(PaymentStatus.CAPTURED), settled(1992, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.AMOUNT_DIFFERS));
        assertThat(SettlementDecision.of(payment(PaymentStatus.CAPTURED), settled(1999, "USD"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.AMOUNT_DIFFERS));
        assertThat(SettlementDecision.of(null, settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.UNKNOWN_PAYMENT));
    }
}
