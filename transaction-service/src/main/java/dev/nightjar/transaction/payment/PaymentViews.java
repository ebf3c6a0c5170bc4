package dev.nightjar.transaction.payment;

import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.RefundObject;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.Refund;

/** Payments and refunds as merchants see them (API.md). */
public final class PaymentViews {

    private PaymentViews() {
    }

    public static PaymentObject of(Payment p) {
        return new PaymentObject(
                p.id(), "payment", p.amountMinor(), p.currency(), p.status().shown(), p.captureMethod().apiName(),
                p.amountCapturableMinor(), p.amountCapturedMinor(), p.amountRefundedMinor(),
                p.card() == null ? null : new PaymentObject.Card(p.card().brand(), p.card().last4(),
                        p.card().expMonth(), p.card().expYear(), p.card().fingerprint()),
                p.failure() == null ? null : new PaymentObject.Failure(p.failure().code(), p.failure().declineCode(),
                        p.failure().message()),
                p.risk() == null ? null : new PaymentObject.Risk(p.risk().score(), p.risk().decision()),
                p.reference(), p.description(), p.metadata(),
                p.createdAt().getEpochSecond(), p.updatedAt().getEpochSecond());
    }

    public static RefundObject of(Refund r) {
        return new RefundObject(r.id(), "refund", r.paymentId(), r.amountMinor(), r.currency(), r.status(),
                r.reason(), r.failureReason(), r.createdAt().getEpochSecond());
    }
}
