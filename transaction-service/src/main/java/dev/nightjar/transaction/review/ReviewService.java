package dev.nightjar.transaction.review;

import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.transaction.payment.PaymentService;
import dev.nightjar.transaction.refund.RefundService;

/**
 * The merchant's review queue: payments risk held before the acquirer ({@code requires_review}), and payments
 * a risk flag put there after their authorization ({@link PaymentFlags}). A reviewer's approval sends a held
 * payment to the acquirer, and leaves a flagged one as it is; a rejection cancels a held payment without the
 * acquirer, and gives a flagged one's money back: its authorization is canceled, its capture refunded in full
 * (reason {@code fraudulent}, one refund however often the rejection is repeated). The flag is closed once the
 * decision is carried out; a cancel or refund the acquirer refused leaves it open for the reviewer to retry.
 */
public final class ReviewService {

    /** Refund reason of a rejected capture. */
    static final String REJECTED = "fraudulent";

    private final PaymentService payments;
    private final RefundService refunds;
    private final PaymentFlags flags;

    public ReviewService(PaymentService payments, RefundService refunds, PaymentFlags flags) {
        this.payments = payments;
        this.refunds = refunds;
        this.flags = flags;
    }

    /** Payments waiting for a reviewer, held or flagged, newest first. */
    public ListObject<PaymentObject> queue(String merchantId, String startingAfter, int limit) {
        return payments.reviews(merchantId, startingAfter, limit);
    }

    public PaymentObject approve(String merchantId, String paymentId) {
        if (flags.isOpen(merchantId, paymentId)) {
            flags.resolve(merchantId, paymentId, true);
            return payments.get(merchantId, paymentId);
        }
        return payments.approveReview(merchantId, paymentId);
    }

    public PaymentObject reject(String merchantId, String paymentId, String requestKey) {
        if (!flags.isOpen(merchantId, paymentId)) {
            return payments.cancel(merchantId, paymentId, requestKey);
        }
        PaymentObject flagged = payments.get(merchantId, paymentId);
        switch (flagged.status()) {
            case AUTHORIZED -> payments.cancel(merchantId, paymentId, requestKey);
            case CAPTURED, SETTLED -> refunds.refund(merchantId, paymentId, "review-reject-" + paymentId, null, REJECTED);
            // nothing to give back (a capture or cancel in flight, refunded): cancel's 409 names the status
            default -> payments.cancel(merchantId, paymentId, requestKey);
        }
        flags.resolve(merchantId, paymentId, false);
        return payments.get(merchantId, paymentId);
    }
}
