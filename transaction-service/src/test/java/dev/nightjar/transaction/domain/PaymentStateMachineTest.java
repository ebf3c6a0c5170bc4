package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.contract.RiskDecision;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.transaction.domain.PaymentCommand.ApplyAuthorization;
import dev.nightjar.transaction.domain.PaymentCommand.ApplyAuthorization.Outcome;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentStateMachineTest {

    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Instant T1 = T0.plusSeconds(1);

    private static Payment payment(PaymentState status, CaptureMethod captureMethod, RiskDecision riskDecision) {
        // a capture or cancel in flight holds the whole authorization
        long capturable = status.holdsAnOperation() ? 1999 : 0;
        Payment.InFlight inFlight = status == PaymentState.CAPTURING ? new Payment.InFlight(1999, "idk_other", "claim_other")
                : status == PaymentState.CANCELING ? new Payment.InFlight(0, "idk_other", "claim_other") : null;
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
        Transition admitted = PaymentStateMachine.admit(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW));
        assertThat(admitted.payment().status()).isEqualTo(PaymentState.AUTHORIZING);
        assertThat(admitted.eventTypes()).isEmpty();
    }

    @Test
    void anAcceptedPaymentIsStoredReceivedWithTheEffectThatProcessesItAndNoEvent() {
        Payment created = payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW).withRisk(null);
        Transition received = PaymentStateMachine.receive(created);
        assertThat(received.payment().status()).isEqualTo(PaymentState.RECEIVED);
        assertThat(received.payment().status().shown().wire()).isEqualTo("received");
        assertThat(received.payment().amountCapturableMinor()).isZero();
        assertThat(received.eventTypes()).isEmpty();
        assertThat(received.effects()).containsExactly(new Effect.Process());
        assertThatThrownBy(() -> PaymentStateMachine.receive(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC,
                RiskDecision.ALLOW))).as("a payment risk has judged is not new").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aReceivedPaymentIsAdmittedByItsRiskVerdictAsASynchronousOneIs() {
        Transition allowed = PaymentStateMachine.admit(payment(PaymentState.RECEIVED, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW));
        assertThat(allowed.payment().status()).isEqualTo(PaymentState.AUTHORIZING);
        assertThat(allowed.eventTypes()).isEmpty();
        assertThat(allowed.payment().version()).as("admitting is a versioned write").isEqualTo(1);
        assertThat(PaymentStateMachine.admit(payment(PaymentState.RECEIVED, CaptureMethod.AUTOMATIC, RiskDecision.BLOCK))
                .payment().status()).isEqualTo(PaymentState.DECLINED);
        assertThat(PaymentStateMachine.admit(payment(PaymentState.RECEIVED, CaptureMethod.AUTOMATIC, RiskDecision.REVIEW))
                .eventTypes()).containsExactly(EventType.PAYMENT_REQUIRES_REVIEW);
    }

    @Test
    void admittingIsRefusedOnceAPaymentLeftItsFirstState() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.AUTHORIZING, PaymentState.RECEIVED))) {
            Payment payment = payment(status, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW);
            assertThatThrownBy(() -> PaymentStateMachine.admit(payment)).as(status.name())
                    .isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void blockedPaymentIsDeclinedAsFraudulent() {
        Transition admitted = PaymentStateMachine.admit(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.BLOCK));
        assertThat(admitted.payment().status()).isEqualTo(PaymentState.DECLINED);
        assertThat(admitted.payment().failure().declineCode()).isEqualTo("fraudulent");
        assertThat(admitted.eventTypes()).containsExactly(EventType.PAYMENT_DECLINED);
    }

    @Test
    void reviewedPaymentWaitsForAReviewer() {
        Transition admitted = PaymentStateMachine.admit(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.REVIEW));
        assertThat(admitted.payment().status()).isEqualTo(PaymentState.REQUIRES_REVIEW);
        assertThat(admitted.eventTypes()).containsExactly(EventType.PAYMENT_REQUIRES_REVIEW);
    }

    @Test
    void approvedSaleIsCapturedInFull() {
        Transition next = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.APPROVED, true));
        assertThat(next.payment().status()).isEqualTo(PaymentState.CAPTURED);
        assertThat(next.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(next.payment().amountCapturableMinor()).isZero();
        assertThat(next.payment().authorization().networkReference()).isEqualTo("nw_1");
        assertThat(next.payment().updatedAt()).isEqualTo(T1);
        assertThat(next.payment().version()).isEqualTo(1);
        assertThat(next.eventTypes()).containsExactly(EventType.PAYMENT_CAPTURED);
    }

    @Test
    void approvedManualAuthorizationHoldsTheWholeAmountForCapture() {
        Transition next = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.MANUAL, RiskDecision.ALLOW),
                authorization(Outcome.APPROVED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentState.AUTHORIZED);
        assertThat(next.payment().amountCapturableMinor()).isEqualTo(1999);
        assertThat(next.payment().amountCapturedMinor()).isZero();
        assertThat(next.eventTypes()).containsExactly(EventType.PAYMENT_AUTHORIZED);
    }

    @Test
    void declineCarriesTheIssuersDeclineCode() {
        Transition next = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.DECLINED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentState.DECLINED);
        assertThat(next.payment().failure().code()).isEqualTo("card_declined");
        assertThat(next.payment().failure().declineCode()).isEqualTo("insufficient_funds");
        assertThat(next.eventTypes()).containsExactly(EventType.PAYMENT_DECLINED);
    }

    @Test
    void acquirerFailureIsAFinalTechnicalFailure() {
        Transition next = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.FAILED, false));
        assertThat(next.payment().status()).isEqualTo(PaymentState.FAILED);
        assertThat(next.payment().status().isTerminal()).isTrue();
        assertThat(next.eventTypes()).containsExactly(EventType.PAYMENT_FAILED);
    }

    @Test
    void unknownOutcomeMakesThePaymentPendingOnce() {
        Transition pending = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.UNKNOWN, false));
        assertThat(pending.payment().status()).isEqualTo(PaymentState.PENDING);
        assertThat(pending.eventTypes()).containsExactly(EventType.PAYMENT_PENDING);
        Transition stillPending = PaymentStateMachine.apply(pending.payment(), authorization(Outcome.UNKNOWN, false));
        assertThat(stillPending.payment()).isSameAs(pending.payment());
        assertThat(stillPending.eventTypes()).isEmpty();
    }

    @Test
    void goingPendingAsksForTheFirstInquiryAndNothingElseDoes() {
        Payment authorizing = payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW);
        Transition pending = PaymentStateMachine.apply(authorizing, authorization(Outcome.UNKNOWN, false));
        assertThat(pending.effects()).containsExactly(new Effect.Inquire(1));

        assertThat(PaymentStateMachine.apply(pending.payment(), authorization(Outcome.UNKNOWN, false)).effects())
                .as("an inquiry that learns nothing: the next one is the schedule's, not the state machine's").isEmpty();
        for (Outcome known : List.of(Outcome.APPROVED, Outcome.DECLINED, Outcome.FAILED)) {
            assertThat(PaymentStateMachine.apply(authorizing, authorization(known, false)).effects()).as(known.name()).isEmpty();
            assertThat(PaymentStateMachine.apply(pending.payment(), authorization(known, false)).effects()).as(known.name()).isEmpty();
        }
    }

    @Test
    void pendingPaymentResolvesWhenTheOutcomeBecomesKnown() {
        Payment pending = PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.UNKNOWN, false)).payment();
        Transition resolved = PaymentStateMachine.apply(pending, authorization(Outcome.APPROVED, true));
        assertThat(resolved.payment().status()).isEqualTo(PaymentState.CAPTURED);
    }

    @Test
    void authorizationOutcomeIsRefusedInEveryOtherState() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.AUTHORIZING, PaymentState.PENDING))) {
            Payment payment = payment(status, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW);
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment, authorization(Outcome.APPROVED, true)))
                    .as(status.name())
                    .isInstanceOf(IllegalTransitionException.class)
                    .hasMessageContaining(status.apiName());
        }
    }

    @Test
    void paymentRefusesAmountsThatBreakItsInvariants() {
        assertThatThrownBy(() -> new Payment("pay_1", "mer_1", PaymentState.CAPTURED, CaptureMethod.AUTOMATIC, 100,
                "EUR", 0, 100, 101, 0, "tok", null, null, null, null, null, null, Map.of(), null, null, T0, T0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refunded exceeds captured");
        assertThatThrownBy(() -> new Payment("pay_1", "mer_1", PaymentState.AUTHORIZED, CaptureMethod.MANUAL, 100,
                "EUR", 60, 50, 0, 0, "tok", null, null, null, null, null, null, Map.of(), null, null, T0, T0, 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exceeds the amount");
    }

    private static Payment authorized(long amount) {
        return PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.MANUAL, RiskDecision.ALLOW),
                authorization(Outcome.APPROVED, false)).payment();
    }

    private static Payment captured() {
        return PaymentStateMachine.apply(payment(PaymentState.AUTHORIZING, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                authorization(Outcome.APPROVED, true)).payment();
    }

    private static Refund refund(String id, long amount, RefundStatus status) {
        return new Refund(id, "pay_1", "mer_1", amount, "EUR", "requested_by_customer", status, null, null, null, T1, T1);
    }

    /** A refund of {@code amount} reserved against {@code payment}, then its success applied: that transition. */
    private static Transition refundedWithSuccess(Payment payment, String refundId, long amount) {
        Payment reserved = PaymentStateMachine.apply(payment,
                new PaymentCommand.ReserveRefund(refund(refundId, amount, RefundStatus.PENDING), T1)).payment();
        return PaymentStateMachine.apply(reserved,
                new PaymentCommand.FinishRefund(refund(refundId, amount, RefundStatus.SUCCEEDED), T1));
    }

    private static Payment capturing(Payment authorized, Long requested) {
        return PaymentStateMachine.apply(authorized, new PaymentCommand.BeginCapture(requested, "idk_1", "claim_1", T1)).payment();
    }

    @Test
    void fullCaptureTakesEverythingCapturable() {
        Transition next = PaymentStateMachine.apply(capturing(authorized(1999), null), new PaymentCommand.Captured(1999, T1));
        assertThat(next.payment().status()).isEqualTo(PaymentState.CAPTURED);
        assertThat(next.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(next.changeAmountMinor()).isEqualTo(1999);
        assertThat(next.eventTypes()).containsExactly(EventType.PAYMENT_CAPTURED);
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
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.AUTHORIZED))) {
            assertThatThrownBy(() -> PaymentStateMachine.captureAmount(payment(status, CaptureMethod.MANUAL, RiskDecision.ALLOW), null))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining(status.apiName());
        }
    }

    @Test
    void cancelReleasesAnAuthorizationOrAReviewedPayment() {
        Payment canceling = PaymentStateMachine.apply(authorized(1999), new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)).payment();
        Transition released = PaymentStateMachine.apply(canceling, new PaymentCommand.Cancel(T1));
        assertThat(released.payment().status()).isEqualTo(PaymentState.CANCELED);
        assertThat(released.payment().amountCapturableMinor()).isZero();
        assertThat(released.eventTypes()).containsExactly(EventType.PAYMENT_CANCELED);
        Transition rejected = PaymentStateMachine.apply(payment(PaymentState.REQUIRES_REVIEW, CaptureMethod.AUTOMATIC, RiskDecision.REVIEW),
                new PaymentCommand.Cancel(T1));
        assertThat(rejected.payment().status()).isEqualTo(PaymentState.CANCELED);
    }

    @Test
    void partialAmountsInThreeDecimalCurrenciesGoInStepsOfTen() {
        Payment dinar = new Payment("pay_1", "mer_1", PaymentState.AUTHORIZING, CaptureMethod.MANUAL, 2000, "BHD", 0, 0, 0, 0,
                "tok_1", new CardDetails("visa", "424242", "4242", 12, 2030, "fp"), new Payment.Risk(10, RiskDecision.ALLOW, List.of(), false),
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
        Transition approved = PaymentStateMachine.apply(payment(PaymentState.REQUIRES_REVIEW, CaptureMethod.AUTOMATIC, RiskDecision.REVIEW),
                new PaymentCommand.ApproveReview(T1));
        assertThat(approved.payment().status()).isEqualTo(PaymentState.AUTHORIZING);
        assertThat(approved.payment().updatedAt()).isEqualTo(T1);
        assertThat(approved.eventTypes()).isEmpty();
    }

    @Test
    void reviewApprovalIsRefusedInEveryOtherState() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.REQUIRES_REVIEW))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.AUTOMATIC, RiskDecision.ALLOW),
                    new PaymentCommand.ApproveReview(T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("approved");
        }
    }

    @Test
    void cancelIsRefusedInEveryOtherState() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.CANCELING, PaymentState.REQUIRES_REVIEW))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, RiskDecision.ALLOW),
                    new PaymentCommand.Cancel(T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("canceled");
        }
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.AUTHORIZED))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, RiskDecision.ALLOW),
                    new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class).hasMessageContaining("canceled");
        }
    }

    @Test
    void aClaimedCaptureRefusesAnotherCaptureAndACancelNamingWhatIsInProgress() {
        Payment claimed = capturing(authorized(1999), 1200L);
        assertThat(claimed.status()).isEqualTo(PaymentState.CAPTURING);
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
        assertThat(claimed.status()).isEqualTo(PaymentState.CANCELING);
        assertThatThrownBy(() -> PaymentStateMachine.apply(claimed, new PaymentCommand.BeginCapture(null, "idk_2", "claim_2", T1)))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("a cancel is in progress");
    }

    @Test
    void aCaptureOrCancelTheAcquirerDidNotCarryOutLeavesTheAuthorizationAsItWas() {
        for (Payment claimed : List.of(capturing(authorized(1999), 500L),
                PaymentStateMachine.apply(authorized(1999), new PaymentCommand.BeginCancel("idk_1", "claim_1", T1)).payment())) {
            Transition failed = PaymentStateMachine.apply(claimed, new PaymentCommand.OperationFailed(T1));
            assertThat(failed.payment().status()).isEqualTo(PaymentState.AUTHORIZED);
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
                new PaymentCommand.ReserveRefund(refund("re_1", 1500, RefundStatus.PENDING), T1)).payment();
        assertThat(afterFirst.amountRefundingMinor()).isEqualTo(1500);
        assertThat(afterFirst.refundableMinor()).isEqualTo(499);
        assertThat(afterFirst.status()).isEqualTo(PaymentState.CAPTURED);
        assertThatThrownBy(() -> PaymentStateMachine.apply(afterFirst,
                new PaymentCommand.ReserveRefund(refund("re_2", 500, RefundStatus.PENDING), T1)))
                .isInstanceOf(InvalidAmountException.class).hasMessageContaining("499");
        assertThat(PaymentStateMachine.refundAmount(afterFirst, null)).isEqualTo(499);
    }

    @Test
    void succeededPartialRefundKeepsThePaymentCapturedAndAFullOneRefundsIt() {
        Transition partial = refundedWithSuccess(captured(), "re_1", 500);
        assertThat(partial.payment().status()).isEqualTo(PaymentState.CAPTURED);
        assertThat(partial.payment().amountRefundedMinor()).isEqualTo(500);
        assertThat(partial.payment().amountRefundingMinor()).isZero();
        assertThat(partial.changeAmountMinor()).isEqualTo(500);
        assertThat(partial.eventTypes()).containsExactly(EventType.REFUND_SUCCEEDED);

        Transition full = refundedWithSuccess(partial.payment(), "re_2", 1499);
        assertThat(full.payment().status()).isEqualTo(PaymentState.REFUNDED);
        assertThat(full.payment().amountRefundedMinor()).isEqualTo(1999);
        assertThatThrownBy(() -> PaymentStateMachine.refundAmount(full.payment(), null))
                .isInstanceOf(IllegalTransitionException.class).hasMessageContaining("refunded");
    }

    @Test
    void failedRefundGivesItsReservationBack() {
        Payment reserved = PaymentStateMachine.apply(captured(),
                new PaymentCommand.ReserveRefund(refund("re_1", 700, RefundStatus.PENDING), T1)).payment();
        Transition failed = PaymentStateMachine.apply(reserved,
                new PaymentCommand.FinishRefund(refund("re_1", 700, RefundStatus.FAILED), T1));
        assertThat(failed.payment().amountRefundingMinor()).isZero();
        assertThat(failed.payment().amountRefundedMinor()).isZero();
        assertThat(failed.payment().refundableMinor()).isEqualTo(1999);
        assertThat(failed.changeAmountMinor()).isZero();
        assertThat(failed.eventTypes()).containsExactly(EventType.REFUND_FAILED);
    }

    @Test
    void refundIsRefusedInEveryStateButCapturedAndSettled() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.CAPTURED, PaymentState.SETTLED))) {
            assertThatThrownBy(() -> PaymentStateMachine.refundAmount(payment(status, CaptureMethod.MANUAL, RiskDecision.ALLOW), 1L))
                    .as(status.name()).isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void refundOfNothingAndUnreservedFinishAreRefused() {
        assertThatThrownBy(() -> PaymentStateMachine.refundAmount(captured(), 0L)).isInstanceOf(InvalidAmountException.class);
        assertThatThrownBy(() -> PaymentStateMachine.apply(captured(),
                new PaymentCommand.FinishRefund(refund("re_9", 100, RefundStatus.SUCCEEDED), T1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static final Instant T2 = T1.plusSeconds(1);

    @Test
    void settlementOfACapturedPaymentSettlesItAnnouncedAndMovesNoMoney() {
        Payment captured = captured();
        Transition settled = PaymentStateMachine.apply(captured, new PaymentCommand.Settle(1999, "EUR", T2));
        assertThat(settled.payment().status()).isEqualTo(PaymentState.SETTLED);
        assertThat(settled.payment().status().apiName()).isEqualTo("settled");
        assertThat(settled.payment().status().isTerminal()).as("a settled payment can still be refunded").isFalse();
        assertThat(settled.payment().amountCapturedMinor()).isEqualTo(1999);
        assertThat(settled.payment().amountRefundedMinor()).isZero();
        assertThat(settled.payment().updatedAt()).isEqualTo(T2);
        assertThat(settled.payment().version()).isEqualTo(captured.version() + 1);
        assertThat(settled.changeAmountMinor()).as("the money moved at the capture").isZero();
        assertThat(settled.eventTypes()).containsExactly(EventType.PAYMENT_SETTLED);
    }

    @Test
    void settlementIsRefusedInEveryStateButCaptured() {
        for (PaymentState status : EnumSet.complementOf(EnumSet.of(PaymentState.CAPTURED))) {
            assertThatThrownBy(() -> PaymentStateMachine.apply(payment(status, CaptureMethod.MANUAL, RiskDecision.ALLOW),
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
        assertThat(partial.payment().status()).isEqualTo(PaymentState.SETTLED);
        assertThat(partial.payment().amountRefundedMinor()).isEqualTo(500);
        assertThat(partial.eventTypes()).containsExactly(EventType.REFUND_SUCCEEDED);

        Transition full = refundedWithSuccess(partial.payment(), "re_2", 1499);
        assertThat(full.payment().status()).isEqualTo(PaymentState.REFUNDED);
        assertThat(full.payment().amountRefundedMinor()).isEqualTo(1999);
    }

    @Test
    void aCapturedPaymentWithARefundInFlightSettlesAndTheRefundStillFinishes() {
        Payment reserved = PaymentStateMachine.apply(captured(),
                new PaymentCommand.ReserveRefund(refund("re_1", 1999, RefundStatus.PENDING), T1)).payment();
        Payment settled = PaymentStateMachine.apply(reserved, new PaymentCommand.Settle(1999, "EUR", T2)).payment();
        assertThat(settled.status()).isEqualTo(PaymentState.SETTLED);
        assertThat(settled.amountRefundingMinor()).isEqualTo(1999);
        Transition refunded = PaymentStateMachine.apply(settled,
                new PaymentCommand.FinishRefund(refund("re_1", 1999, RefundStatus.SUCCEEDED), T2));
        assertThat(refunded.payment().status()).isEqualTo(PaymentState.REFUNDED);
    }

    @Test
    void merchantsSeeEachStatusOnceAndTheFilterFindsEveryStateBehindIt() {
        assertThat(java.util.Arrays.stream(PaymentState.values()).map(PaymentState::shown).distinct())
                .as("every status merchants can see is shown by some state")
                .containsExactlyInAnyOrder(dev.nightjar.contracts.contract.PaymentStatus.values());
        assertThat(PaymentState.shownAs(dev.nightjar.contracts.contract.PaymentStatus.PENDING))
                .containsExactlyInAnyOrder(PaymentState.AUTHORIZING, PaymentState.PENDING);
        assertThat(PaymentState.shownAs(dev.nightjar.contracts.contract.PaymentStatus.AUTHORIZED))
                .containsExactlyInAnyOrder(PaymentState.AUTHORIZED, PaymentState.CAPTURING, PaymentState.CANCELING);
        assertThat(PaymentState.shownAs(dev.nightjar.contracts.contract.PaymentStatus.SETTLED)).containsExactly(PaymentState.SETTLED);
    }
}
