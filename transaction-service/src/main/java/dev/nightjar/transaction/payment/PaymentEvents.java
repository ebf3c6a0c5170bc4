package dev.nightjar.transaction.payment;

import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.Refund;
import dev.nightjar.transaction.domain.Transition;

/** Builds the {@code payment_events} payload for a payment's new state. */
public final class PaymentEvents {

    private final TraceContexts traces;

    public PaymentEvents(TraceContexts traces) {
        this.traces = traces;
    }

    public PaymentEvent payload(Transition transition) {
        Payment p = transition.payment();
        Refund refund = transition.refund();
        return new PaymentEvent(p.id(), p.merchantId(), p.status().shown(), p.captureMethod().apiName(),
                p.amountMinor(), p.currency(), p.amountCapturableMinor(), p.amountCapturedMinor(),
                p.amountRefundedMinor(), transition.changeAmountMinor(), refund == null ? null : refund.id(),
                p.authorization() == null ? null : p.authorization().acquirer(),
                p.authorization() == null ? null : p.authorization().networkReference(),
                p.failure() == null ? null : p.failure().declineCode(),
                p.failure() == null ? null : p.failure().code(),
                p.card() == null ? null : p.card().brand(),
                p.card() == null ? null : p.card().last4(),
                p.card() == null ? null : p.card().fingerprint(),
                p.risk() == null ? null : p.risk().score(),
                p.risk() == null ? null : p.risk().decision(),
                p.createdAt(), p.updatedAt(), PaymentViews.of(p), refund == null ? null : PaymentViews.of(refund));
    }

    public String traceparent() {
        return traces.currentTraceparent();
    }
}
