package dev.nightjar.transaction.settlement;

import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentState;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.SettlementEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettlementDecisionTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-11-24T22:00:05Z");

    /** A payment in {@code status}; one that took money captured 1999 EUR (and refunded all of it when refunded). */
    private static Payment payment(PaymentState status) {
        boolean tookMoney = status == PaymentState.CAPTURED || status == PaymentState.SETTLED || status == PaymentState.REFUNDED;
        long capturable = status.holdsAnOperation() || status == PaymentState.AUTHORIZED ? 1999 : 0;
        Payment.InFlight inFlight = status == PaymentState.CAPTURING ? new Payment.InFlight(1999, null, "claim_1")
                : status == PaymentState.CANCELING ? new Payment.InFlight(0, null, "claim_1") : null;
        return new Payment("pay_1", "mer_1", status, CaptureMethod.AUTOMATIC, 1999, "EUR", capturable,
                tookMoney ? 1999 : 0, status == PaymentState.REFUNDED ? 1999 : 0, 0, "tok_1", null, null, null, null,
                null, null, Map.of(), null, inFlight, T0, T0, 3);
    }

    private static SettlementEvent settled(long amountMinor, String currency) {
        return new SettlementEvent("stl_1", "mer_1", "acquirer-a", currency, LocalDate.of(2026, 11, 24), 0, 0, 0, 0,
                "pay_1", amountMinor);
    }

    @Test
    void capturedPaymentSettledForWhatItCapturedBecomesSettledWithItsEvent() {
        SettlementDecision decision = SettlementDecision.of(payment(PaymentState.CAPTURED), settled(1999, "EUR"), CUTOFF);
        assertThat(decision).isInstanceOfSatisfying(SettlementDecision.Settle.class, settle -> {
            assertThat(settle.transition().payment().status()).isEqualTo(PaymentState.SETTLED);
            assertThat(settle.transition().payment().updatedAt()).isEqualTo(CUTOFF);
            assertThat(settle.transition().payment().version()).isEqualTo(4);
            assertThat(settle.transition().eventTypes()).containsExactly(EventType.PAYMENT_SETTLED);
        });
    }

    @Test
    void settledAgainOrRefundedAlreadyChangesNothing() {
        assertThat(SettlementDecision.of(payment(PaymentState.SETTLED), settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Acknowledge(PaymentSettlements.Result.ALREADY_SETTLED));
        assertThat(SettlementDecision.of(payment(PaymentState.REFUNDED), settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Acknowledge(PaymentSettlements.Result.ALREADY_REFUNDED));
    }

    @Test
    void aPaymentNotCapturedYetParksTheSettlementUntilItIs() {
        for (PaymentState status : EnumSet.of(PaymentState.AUTHORIZING, PaymentState.PENDING, PaymentState.REQUIRES_REVIEW,
                PaymentState.AUTHORIZED, PaymentState.CAPTURING, PaymentState.CANCELING)) {
            assertThat(SettlementDecision.of(payment(status), settled(1999, "EUR"), CUTOFF)).as(status.name())
                    .isEqualTo(new SettlementDecision.Park(SettlementDecision.NOT_CAPTURED));
        }
    }

    @Test
    void aPaymentThatEndedWithoutACaptureOrAnotherAmountOrNoPaymentParksItForAPerson() {
        for (PaymentState status : EnumSet.of(PaymentState.DECLINED, PaymentState.CANCELED, PaymentState.FAILED)) {
            assertThat(SettlementDecision.of(payment(status), settled(1999, "EUR"), CUTOFF)).as(status.name())
                    .isEqualTo(new SettlementDecision.Park(SettlementDecision.ENDED_WITHOUT_CAPTURE));
        }
        assertThat(SettlementDecision.of(payment(PaymentState.CAPTURED), settled(1992, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.AMOUNT_DIFFERS));
        assertThat(SettlementDecision.of(payment(PaymentState.CAPTURED), settled(1999, "USD"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.AMOUNT_DIFFERS));
        assertThat(SettlementDecision.of(null, settled(1999, "EUR"), CUTOFF))
                .isEqualTo(new SettlementDecision.Park(SettlementDecision.UNKNOWN_PAYMENT));
    }
}
