package dev.nightjar.contracts.event;

import dev.nightjar.contracts.contract.WireValue;
import java.util.Optional;

/**
 * The types of the events Nightjar's services act on. Payment and refund types are also the webhook event names
 * merchants subscribe to; the others stay inside the platform. An envelope's type is a string on the wire, since
 * {@code auth_responses} names its events after the operation and its outcome ({@code authorize.approved}), a set
 * no consumer switches on; {@link #of} reads the ones that mean something to a consumer.
 */
public enum EventType implements WireValue {
    PAYMENT_AUTHORIZED("payment.authorized"),
    PAYMENT_CAPTURED("payment.captured"),
    PAYMENT_DECLINED("payment.declined"),
    PAYMENT_PENDING("payment.pending"),
    PAYMENT_REQUIRES_REVIEW("payment.requires_review"),
    PAYMENT_CANCELED("payment.canceled"),
    PAYMENT_FAILED("payment.failed"),
    PAYMENT_SETTLED("payment.settled"),
    REFUND_SUCCEEDED("refund.succeeded"),
    REFUND_FAILED("refund.failed"),
    /** On {@code payment_requests}: a payment accepted asynchronously, waiting to be processed. */
    PAYMENT_REQUESTED("payment.requested"),
    /** On {@code payment_retries}: an inquiry due about a payment whose outcome is unknown. */
    PAYMENT_INQUIRY("payment.retry"),
    /** On {@code settlement_events}: one batch's settlement and payout for one merchant. */
    MERCHANT_SETTLED("settlement.merchant_settled"),
    /** On {@code risk_events}: a payment allowed at authorization that re-scoring puts above the review threshold. */
    RISK_FLAGGED("risk.flagged");

    private final String wire;

    EventType(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The type named {@code wire}; empty for a name that is not one of these (an {@code auth_responses} event). */
    public static Optional<EventType> of(String wire) {
        return WireValue.find(EventType.class, wire);
    }

    /** True when {@code envelope} is of this type. */
    public boolean typeOf(EventEnvelope<?> envelope) {
        return wire.equals(envelope.type());
    }
}
