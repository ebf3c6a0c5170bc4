package dev.nightjar.transaction.payment;

import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.observability.TraceContexts;

/** Builds the {@code payment_events} payload for a payment's new state. */
public final class PaymentEvents {

    private final TraceContexts traces;

    public PaymentEvents(TraceContexts traces) {
        this.traces = traces;
    }

    public PaymentEvent payload(Payment p, long changeAmountMinor) {
        return new PaymentEvent(p.id(), p.merchantId(), p.status().apiName(), p.captureMethod().apiName(),
                p.amountMinor(), p.currency(), p.amountCapturableMinor(), p.amountCapturedMinor(),
                p.amountRefundedMinor(), changeAmountMinor, null,
                p.authorization() == null ? null : p.authorization().acquirer(),
                p.authorization() == null ? null : p.authorization().networkReference(),
                p.failure() == null ? null : p.failure().declineCode(),
                p.failure() == null ? null : p.failure().code(),
                p.card() == null ? null : p.card().brand(),
                p.card() == null ? null : p.card().last4(),
                p.card() == null ? null : p.card().fingerprint(),
                p.risk() == null ? null : p.risk().score(),
                p.risk() == null ? null : p.risk().decision(),
                p.createdAt(), p.updatedAt());
    }

    public String traceparent() {
        return traces.currentTraceparent();
    }
}
