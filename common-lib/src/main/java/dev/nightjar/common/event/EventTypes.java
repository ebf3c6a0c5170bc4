package dev.nightjar.common.event;

/**
 * Event type names. Payment and refund types are also the webhook event names merchants subscribe to; risk
 * types stay inside the platform.
 */
public final class EventTypes {

    public static final String PAYMENT_AUTHORIZED = "payment.authorized";
    public static final String PAYMENT_CAPTURED = "payment.captured";
    public static final String PAYMENT_DECLINED = "payment.declined";
    public static final String PAYMENT_PENDING = "payment.pending";
    public static final String PAYMENT_REQUIRES_REVIEW = "payment.requires_review";
    public static final String PAYMENT_CANCELED = "payment.canceled";
    public static final String PAYMENT_FAILED = "payment.failed";
    public static final String PAYMENT_SETTLED = "payment.settled";
    public static final String REFUND_SUCCEEDED = "refund.succeeded";
    public static final String REFUND_FAILED = "refund.failed";
    /** On {@code settlement_events}: one batch's settlement and payout for one merchant. */
    public static final String MERCHANT_SETTLED = "settlement.merchant_settled";
    /** On {@code risk_events}: a payment allowed at authorization that re-scoring puts above the review threshold. */
    public static final String RISK_FLAGGED = "risk.flagged";

    private EventTypes() {
    }
}
