package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.contract.CardDetails;
import dev.nightjar.common.event.EventTypes;
import dev.nightjar.transaction.payment.PaymentCommand.ApplyAuthorization;
import dev.nightjar.transaction.payment.PaymentCommand.ApplyAuthorization.Outcome;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    private static Payment payment(PaymentStatus status, CaptureMethod captureMethod, String riskDecision) {
        // a capture or cancel in flight holds the whole authorization
        long capturable = status.holdsAnOperation() ? 1999 : 0;
        Payment.InFlight inFlight = status == PaymentStatus.CAPTURING ? new Payment.InFlight(1999, "idk_other", "claim_other")
                : status == PaymentStatus.CANCELING ? new Payment.InFlight(0, "idk_other", "claim_other") : null;
        return new Payment("pay_1", "mer_1", status, captureMethod, 1999, "EUR", capturable, 0, 0, 0, "tok_1",
                new CardDetails("visa", "424242", "4242", 12, 2030, "fp"),
                new Payment.Risk(10, riskDecision, List.of(), false), null, null, "order-1", null, Map.of(), "key-1",
                inFlight, T0, T0, 0);
    }

    private static ApplyAuthorization authorization(Outcome outcome, boolean captured) {
        return new ApplyAuthorization(outcome, "acquirer-a", "nw_1", outcome == Outcome.APPROVED ? "123456" : null,
                outcome == Outcome.DECLINED ? "insufficient_funds" : null, captured, T1);
    }

    @Test
    void allowedPaymentIsAdmittedForAuthorizationWithoutEvents() {
        Transition admitted = PaymentStateMachine.admit(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"));
        assertThat(admitted.payment().status()).isEqualTo(PaymentStatus.AUTHORIZING);
        assertThat(admitted.eventTypes()).isEmpty();
    }

    @Test
    void blockedPaymentIsDeclinedAsFraudulent() {
        Transition admitted = PaymentStateMachine.admit(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "block"));
        assertThat(admitted.payment().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(admitted.payment().failure().declineCode()).isEqualTo("fraudulent");
        assertThat(admitted.eventTypes()).containsExactly(EventTypes.PAYMENT_DECLINED);
    }

    @Test
    void reviewedPaymentWaitsForAReviewer() {
        Transition admitted = PaymentStateMachine.admit(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "review"));
        assertThat(admitted.payment().status()).isEqualTo(PaymentStatus.REQUIRES_REVIEW);
        assertThat(admitted.eventTypes()).containsExactly(EventTypes.PAYMENT_REQUIRES_REVIEW);
    }

    @Test
    void approvedSaleIsCapturedInFull() {
        Transition next = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.APPROVED, true));
        assertThat(next.payment().status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThat(next.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(next.payment().amountCapturableMinor()).isZero();
        assertThat(next.payment().authorization().networkReference()).isEqualTo("nw_1");
        assertThat(next.payment().updatedAt()).isEqualTo(T1);
        assertThat(next.payment().version()).isEqualTo(1);
        assertThat(next.eventTypes()).containsExactly(EventTypes.PAYMENT_CAPTURED);
    }

    @Test
    void approvedManualAuthorizationHoldsTheWholeAmountForCapture() {
        Transition next = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.MANUAL, "allow"),
                authorization(Outcome.APPROVED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentStatus.AUTHORIZED);
        assertThat(next.payment().amountCapturableMinor()).isEqualTo(1999);
        assertThat(next.payment().amountCapturedMinor()).isZero();
        assertThat(next.eventTypes()).containsExactly(EventTypes.PAYMENT_AUTHORIZED);
    }

    @Test
    void declineCarriesTheIssuersDeclineCode() {
        Transition next = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.DECLINED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentStatus.DECLINED);
        assertThat(next.payment().failure().code()).isEqualTo("card_declined");
        assertThat(next.payment().failure().declineCode()).isEqualTo("insufficient_funds");
        assertThat(next.eventTypes()).containsExactly(EventTypes.PAYMENT_DECLINED);
    }

    @Test
    void acquirerFailureIsAFinalTechnicalFailure() {
        Transition next = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.FAILED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(next.payment().status().isTerminal()).isTrue();
        assertThat(next.eventTypes()).containsExactly(EventTypes.PAYMENT_FAILED);
    }

    @Test
    void unknownOutcomeMakesThePaymentPendingOnce() {
        Transition pending = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.UNKNOWN, false));
        assertThat(pending.payment().status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(pending.eventTypes()).containsExactly(EventTypes.PAYMENT_PENDING);
        Transition stillPending = PaymentStateMachine.apply(pending.payment(), authorization(Outcome.UNKNOWN, false));
        assertThat(stillPending.payment()).isSameAs(pending.payment());
        assertThat(stillPending.eventTypes()).isEmpty();
    }

    @Test
    void pendingPaymentResolvesWhenTheOutcomeBecomesKnown() {
        Payment pending = PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.UNKNOWN, false)).payment();
        Transition resolved = PaymentStateMachine.apply(pending, authorization(Outcome.APPROVED, true));
        assertThat(resolved.payment().status()).isEqualTo(PaymentStatus.CAPTURED);
    }

    @Test
    void authorizationOutcomeIsRefusedInEveryOtherState() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.AUTHORIZING, PaymentStatus.PENDING))) {
            Payment payment = payment(status, CaptureMethod.AUTOMATIC, "allow");
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment, authorization(Outcome.APPROVED, true)))
                    .as(status.name())
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.apiName());
        }
    }

    @Test
    void paymentRefusesAmountsThatBreakItsInvariants() {
        assertThatThrownBy(() -> new Payment("pay_1", "mer_1", PaymentStatus.CAPTURED, CaptureMethod.AUTOMATIC, 100,
                "EUR", 0, 100, 101, 0, "tok", null, null, null, null, null, null, Map.of(), null, null, T0, T0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refunded exceeds captured");
        assertThatThrownBy(() -> new Payment("pay_1", "mer_1", PaymentStatus.AUTHORIZED, CaptureMethod.MANUAL, 100,
                "EUR", 60, 50, 0, 0, "tok", null, null, null, null, null, null, Map.of(), null, null, T0, T0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exceeds the amount");
    }

    private static Payment authorized(long amount) {
        return PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.MANUAL, "allow"),
                authorization(Outcome.APPROVED, false)).payment();
    }

    private static Payment captured() {
        return PaymentStateMachine.apply(payment(PaymentStatus.AUTHORIZING, CaptureMethod.AUTOMATIC, "allow"),
                authorization(Outcome.APPROVED, true)).payment();
    }

    private static Refund refund(String id, long amount, Refund.Status status) {
        return new Refund(id, "pay_1", "mer_1", amount, "EUR", "requested_by_customer", status, null, null, null, T1, T1);
    }

    /** A refund of {@code amount} reserved against {@code payment}, then its success applied: that transition. */
    private static Transition refundedWithSuccess(Payment payment, String refundId, long amount) {
        Payment reserved = PaymentStateMachine.apply(payment,
                new PaymentCommand.ReserveRefund(refund(refundId, amount, Refund.Status.PENDING), T1)).payment();
        return PaymentStateMachine.apply(reserved,
                new PaymentCommand.FinishRefund(refund(refundId, amount, Refund.Status.SUCCEEDED), T1));
    }

    private static Payment capturing(Payment authorized, Long requested) {
        return PaymentStateMachine.apply(authorized, new PaymentCommand.BeginCapture(requested, "idk_1", "claim_1", T1)).payment();
    }

    @Test
    void fullCaptureTakesEverythingCapturable() {
        Transition next = PaymentStateMachine.apply(capturing(authorized(1999), null), new PaymentCommand.Captured(1999, T1));
        assertThat(next.payment().status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThat(next.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(next.changeAmountMinor()).isEqualTo(1999);
        assertThat(next.eventTypes()).containsExactly(EventTypes.PAYMENT_CAPTURED);
    }

    @Test
    void partialCaptureReleasesTheRest() {
        Transition next = PaymentStateMachine.apply(capturing(authorized(1999), 1500L), new PaymentCommand.Captured(1500, T1));
        assertThat(next.payment().amountCapturedMinor()).isEqualTo(1500);
        assertThat(next.payment().amountCapturableMinor()).isZero();
        assertThat(next.changeAmountMinor()).isEqualTo(1500);
    }

    @Test
    void captureAmountDefaultsToAllCapturableAndRefusesMore() {
        assertThat(PaymentStateMachine.captureAmount(authorized(1999), null)).isEqualTo(1999);
        assertThatThrownBy(() -> PaymentStateMachine.captureAmount(authorized(1999), 2000L))
                .isInstanceOf(InvalidAmountException.class).hasMessageContaining("1999");
        assertThatThrownBy(() -> PaymentStateMachine.captureAmount(authorized(1999), 0L))
                .isInstanceOf(InvalidAmountException.class);
    }

    @Test
    void captureIsRefusedInEveryStateButAuthorized() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.AUTHORIZED))) {
            assertThatThrownBy(() -> PaymentStateMachine.captureAmount(payment(status, CaptureMethod.MANUAL, "allow"), null))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining(status.apiName());
        }
    }

    @Test
    void cancelReleasesAnAuthorizationOrAReviewedPayment() {
        Payment canceling = PaymentStateMachine.apply(authorized(1999), new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)).payment();
        Transition released = PaymentStateMachine.apply(canceling, new PaymentCommand.Cancel(T1));
        assertThat(released.payment().status()).isEqualTo(PaymentStatus.CANCELED);
        assertThat(released.payment().amountCapturableMinor()).isZero();
        assertThat(released.eventTypes()).containsExactly(EventTypes.PAYMENT_CANCELED);
        Transition rejected = PaymentStateMachine.apply(payment(PaymentStatus.REQUIRES_REVIEW, CaptureMethod.AUTOMATIC, "review"),
                new PaymentCommand.Cancel(T1));
        assertThat(rejected.payment().status()).isEqualTo(PaymentStatus.CANCELED);
    }

    @Test
    void partialAmountsInThreeDecimalCurrenciesGoInStepsOfTen() {
        Payment dinar = new Payment("pay_1", "mer_1", PaymentStatus.AUTHORIZING, CaptureMethod.MANUAL, 2000, "BHD", 0, 0, 0, 0,
                "tok_1", new CardDetails("visa", "424242", "4242", 12, 2030, "fp"), new Payment.Risk(10, "allow", List.of(), false),
                null, null, null, null, Map.of(), "key-1", null, T0, T0, 0);
        Payment held = PaymentStateMachine.apply(dinar, authorization(Outcome.APPROVED, false)).payment();
        assertThatThrownBy(() -> PaymentStateMachine.captureAmount(held, 1235L)).isInstanceOf(InvalidAmountException.class)
                .hasMessageContaining("multiple of 10");
        assertThat(PaymentStateMachine.captureAmount(held, 1230L)).isEqualTo(1230);
        Payment taken = PaymentStateMachine.apply(capturing(held, 1230L), new PaymentCommand.Captured(1230, T1)).payment();
        assertThatThrownBy(() -> PaymentStateMachine.refundAmount(taken, 5L)).isInstanceOf(InvalidAmountException.class);
        assertThat(PaymentStateMachine.refundAmount(taken, 10L)).isEqualTo(10);
        assertThat(PaymentStateMachine.captureAmount(authorized(1999), 1999L)).as("two-decimal currencies: any amount")
                .isEqualTo(1999);
    }

    @Test
    void approvedReviewGoesBackToTheAcquirerWithoutAnEventOfItsOwn() {
        Transition approved = PaymentStateMachine.apply(payment(PaymentStatus.REQUIRES_REVIEW, CaptureMethod.AUTOMATIC, "review"),
                new PaymentCommand.ApproveReview(T1));
        assertThat(approved.payment().status()).isEqualTo(PaymentStatus.AUTHORIZING);
        assertThat(approved.payment().updatedAt()).isEqualTo(T1);
        assertThat(approved.eventTypes()).isEmpty();
    }

    @Test
    void reviewApprovalIsRefusedInEveryOtherState() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.REQUIRES_REVIEW))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.AUTOMATIC, "allow"),
                    new PaymentCommand.ApproveReview(T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("approved");
        }
    }

    @Test
    void cancelIsRefusedInEveryOtherState() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.CANCELING, PaymentStatus.REQUIRES_REVIEW))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, "allow"),
                    new PaymentCommand.Cancel(T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("canceled");
        }
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.AUTHORIZED))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, "allow"),
                    new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("canceled");
        }
    }

    @Test
    void aClaimedCaptureRefusesAnotherCaptureAndACancelNamingWhatIsInProgress() {
        Payment claimed = capturing(authorized(1999), 1200L);
        assertThat(claimed.status()).isEqualTo(PaymentStatus.CAPTURING);
        assertThat(claimed.status().apiName()).as("merchants still see the hold").isEqualTo("authorized");
        assertThat(claimed.inFlight()).isEqualTo(new Payment.InFlight(1200, "idk_1", "claim_1"));
        assertThat(claimed.amountCapturableMinor()).as("nothing captured until the acquirer says so").isEqualTo(1999);
        assertThatThrownBy(() -> PaymentStateMachine.apply(claimed, new PaymentCommand.BeginCapture(null, "idk_2", "claim_2", T1)))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("a capture is in progress");
        assertThatThrownBy(() -> PaymentStateMachine.apply(claimed, new PaymentCommand.BeginCancel("idk_2", "claim_2", T1)))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("a capture is in progress");
    }

    @Test
    void aClaimedCancelRefusesACapture() {
        Payment claimed = PaymentStateMachine.apply(authorized(1999), new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)).payment();
        assertThat(claimed.status()).isEqualTo(PaymentStatus.CANCELING);
        assertThatThrownBy(() -> PaymentStateMachine.apply(claimed, new PaymentCommand.BeginCapture(null, "idk_2", "claim_2", T1)))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("a cancel is in progress");
    }

    @Test
    void aCaptureOrCancelTheAcquirerDidNotCarryOutLeavesTheAuthorizationAsItWas() {
        for (Payment claimed : List.of(capturing(authorized(1999), 500L),
                PaymentStateMachine.apply(authorized(1999), new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)).payment())) {
            Transition failed = PaymentStateMachine.apply(claimed, new PaymentCommand.OperationFailed(T1));
            assertThat(failed.payment().status()).isEqualTo(PaymentStatus.AUTHORIZED);
            assertThat(failed.payment().amountCapturableMinor()).isEqualTo(1999);
            assertThat(failed.payment().inFlight()).isNull();
            assertThat(failed.eventTypes()).as("nothing happened, nothing to announce").isEmpty();
        }
        assertThatThrownBy(() -> PaymentStateMachine.apply(authorized(1999), new PaymentCommand.OperationFailed(T1)))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aCaptureIsAppliedOnlyForTheAmountClaimed() {
        Payment claimed = capturing(authorized(1999), 1200L);
        assertThatThrownBy(() -> PaymentStateMachine.apply(claimed, new PaymentCommand.Captured(1999, T1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaymentStateMachine.apply(authorized(1999), new PaymentCommand.Captured(1999, T1)))
                .as("only a claimed capture is applied").isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void reservedRefundsNeverTogetherExceedWhatWasCaptured() {
        Payment afterFirst = PaymentStateMachine.apply(captured(),
                new PaymentCommand.ReserveRefund(refund("re_1", 1500, Refund.Status.PENDING), T1)).payment();
        assertThat(afterFirst.amountRefundingMinor()).isEqualTo(1500);
        assertThat(afterFirst.refundableMinor()).isEqualTo(499);
        assertThat(afterFirst.status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThatThrownBy(() -> PaymentStateMachine.apply(afterFirst,
                new PaymentCommand.ReserveRefund(refund("re_2", 500, Refund.Status.PENDING), T1)))
                .isInstanceOf(InvalidAmountException.class).hasMessageContaining("499");
        assertThat(PaymentStateMachine.refundAmount(afterFirst, null)).isEqualTo(499);
    }

    @Test
    void succeededPartialRefundKeepsThePaymentCapturedAndAFullOneRefundsIt() {
        Transition partial = refundedWithSuccess(captured(), "re_1", 500);
        assertThat(partial.payment().status()).isEqualTo(PaymentStatus.CAPTURED);
        assertThat(partial.payment().amountRefundedMinor()).isEqualTo(500);
        assertThat(partial.payment().amountRefundingMinor()).isZero();
        assertThat(partial.changeAmountMinor()).isEqualTo(500);
        assertThat(partial.eventTypes()).containsExactly(EventTypes.REFUND_SUCCEEDED);

        Transition full = refundedWithSuccess(partial.payment(), "re_2", 1499);
        assertThat(full.payment().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(full.payment().amountRefundedMinor()).isEqualTo(1999);
        assertThatThrownBy(() -> PaymentStateMachine.refundAmount(full.payment(), null))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("refunded");
    }

    @Test
    void failedRefundGivesItsReservationBack() {
        Payment reserved = PaymentStateMachine.apply(captured(),
                new PaymentCommand.ReserveRefund(refund("re_1", 700, Refund.Status.PENDING), T1)).payment();
        Transition failed = PaymentStateMachine.apply(reserved,
                new PaymentCommand.FinishRefund(refund("re_1", 700, Refund.Status.FAILED), T1));
        assertThat(failed.payment().amountRefundingMinor()).isZero();
        assertThat(failed.payment().amountRefundedMinor()).isZero();
        assertThat(failed.payment().refundableMinor()).isEqualTo(1999);
        assertThat(failed.changeAmountMinor()).isZero();
        assertThat(failed.eventTypes()).containsExactly(EventTypes.REFUND_FAILED);
    }

    @Test
    void refundIsRefusedInEveryStateButCapturedAndSettled() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.CAPTURED, PaymentStatus.SETTLED))) {
            assertThatThrownBy(() -> PaymentStateMachine.refundAmount(payment(status, CaptureMethod.MANUAL, "allow"), 1L))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void refundOfNothingAndUnreservedFinishAreRefused() {
        assertThatThrownBy(() -> PaymentStateMachine.refundAmount(captured(), 0L)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> PaymentStateMachine.apply(captured(),
                new PaymentCommand.FinishRefund(refund("re_9", 100, Refund.Status.SUCCEEDED), T1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final Instant T2 = T1.plusSeconds(1);

    @Test
    void settlementOfACapturedPaymentSettlesItAnnouncedAndMovesNoMoney() {
        Payment captured = captured();
        Transition settled = PaymentStateMachine.apply(captured, new PaymentCommand.Settle(1999, "EUR", T2));
        assertThat(settled.payment().status()).isEqualTo(PaymentStatus.SETTLED);
        assertThat(settled.payment().status().apiName()).isEqualTo("settled");
        assertThat(settled.payment().status().isTerminal()).as("a settled payment can still be refunded").isFalse();
        assertThat(settled.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(settled.payment().amountRefundedMinor()).isZero();
        assertThat(settled.payment().updatedAt()).isEqualTo(T2);
        assertThat(settled.payment().version()).isEqualTo(captured.version() + 1);
        assertThat(settled.changeAmountMinor()).as("the money moved at the capture").isZero();
        assertThat(settled.eventTypes()).containsExactly(EventTypes.PAYMENT_SETTLED);
    }

    @Test
    void settlementIsRefusedInEveryStateButCaptured() {
        for (PaymentStatus status : EnumSet.complementOf(EnumSet.of(PaymentStatus.CAPTURED))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, "allow"),
                    new PaymentCommand.Settle(1999, "EUR", T2)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("settled");
        }
    }

    @Test
    void settlementOfAnotherAmountOrCurrencyThanCapturedIsRefused() {
        assertThatThrownBy(() -> PaymentStateMachine.apply(captured(), new PaymentCommand.Settle(1998, "EUR", T2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1999");
        assertThatThrownBy(() -> PaymentStateMachine.apply(captured(), new PaymentCommand.Settle(1999, "USD", T2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("USD");
    }

    @Test
    void settledPaymentIsRefundableAndStaysSettledUntilRefundedInFull() {
        Payment settled = PaymentStateMachine.apply(captured(), new PaymentCommand.Settle(1999, "EUR", T2)).payment();
        assertThat(PaymentStateMachine.refundAmount(settled, null)).isEqualTo(1999);
        Transition partial = refundedWithSuccess(settled, "re_1", 500);
        assertThat(partial.payment().status()).isEqualTo(PaymentStatus.SETTLED);
        assertThat(partial.payment().amountRefundedMinor()).isEqualTo(500);
        assertThat(partial.eventTypes()).containsExactly(EventTypes.REFUND_SUCCEEDED);

        Transition full = refundedWithSuccess(partial.payment(), "re_2", 1499);
        assertThat(full.payment().status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(full.payment().amountRefundedMinor()).isEqualTo(1999);
    }

    @Test
    void aCapturedPaymentWithARefundInFlightSettlesAndTheRefundStillFinishes() {
        Payment reserved = PaymentStateMachine.apply(captured(),
                new PaymentCommand.ReserveRefund(refund("re_1", 1999, Refund.Status.PENDING), T1)).payment();
        Payment settled = PaymentStateMachine.apply(reserved, new PaymentCommand.Settle(1999, "EUR", T2)).payment();
        assertThat(settled.status()).isEqualTo(PaymentStatus.SETTLED);
        assertThat(settled.amountRefundingMinor()).isEqualTo(1999);
        Transition refunded = PaymentStateMachine.apply(settled,
                new PaymentCommand.FinishRefund(refund("re_1", 1999, Refund.Status.SUCCEEDED), T2));
        assertThat(refunded.payment().status()).isEqualTo(PaymentStatus.REFUNDED);
    }

    @Test
    void merchantsSeeEachStatusOnceAndTheFilterFindsEveryStateBehindIt() {
        assertThat(PaymentStatus.apiNames()).containsExactly("pending", "authorized", "captured", "settled", "declined",
                "requires_review", "canceled", "refunded", "failed");
        assertThat(PaymentStatus.shownAs("pending")).containsExactlyInAnyOrder(PaymentStatus.AUTHORIZING, PaymentStatus.PENDING);
        assertThat(PaymentStatus.shownAs("authorized")).containsExactlyInAnyOrder(PaymentStatus.AUTHORIZED,
                PaymentStatus.CAPTURING, PaymentStatus.CANCELING);
        assertThat(PaymentStatus.shownAs("settled")).containsExactly(PaymentStatus.SETTLED);
        assertThat(PaymentStatus.shownAs("SETTLED")).as("API names only").isEmpty();
    }
}
