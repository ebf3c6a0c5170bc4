package dev.nightjar.transaction.payment;

import dev.nightjar.common.contract.PaymentObject;
import dev.nightjar.common.contract.TransactionContract.CreatePayment;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.id.Ids;
import dev.nightjar.common.money.Currencies;
import dev.nightjar.common.observability.TraceContexts;
import java.time.Instant;

/**
 * Creates payments and takes them through risk and authorization. Two commits on the happy path: the
 * admitted payment (with its key), then the acquirer's outcome with its events. A crash between them
 * leaves the payment AUTHORIZING, which recovery resolves by asking auth-service, never by re-charging.
 */
public final class PaymentService {

    private final PaymentRepository payments;
    private final Collaborators collaborators;
    private final TraceContexts traces;

    public PaymentService(PaymentRepository payments, Collaborators collaborators, TraceContexts traces) {
        this.payments = payments;
        this.collaborators = collaborators;
        this.traces = traces;
    }

    /** The result of a create: the payment, and whether it already existed under the idempotency key. */
    public record Created(PaymentObject payment, boolean existing) {
    }

    public Created create(String merchantId, CreatePayment command) {
        validate(command);
        // No look-up first: the insert claims the key atomically, and a repeated key (rare here, since the
        // gateway answers replays itself) is found when the claim fails.
        Payment received = received(merchantId, command);
        traces.tag("payment.id", received.id());
        traces.tag("merchant.id", merchantId);
        Payment.Risk risk = collaborators.assess(received);
        traces.tag("risk.score", Integer.toString(risk.score()));
        Payment assessed = received.withRisk(risk);
        Transition admitted = PaymentStateMachine.admit(assessed);
        if (!payments.insert(admitted)) {
            // Another request with the same key won the race; answer with its payment.
            Payment winner = payments.findByIdempotencyKey(merchantId, command.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("idempotency key taken but no payment found"));
            return new Created(PaymentViews.of(winner), true);
        }
        Payment payment = admitted.payment();
        if (payment.status() != PaymentStatus.AUTHORIZING) {
            return new Created(PaymentViews.of(payment), false);
        }
        return new Created(PaymentViews.of(authorize(payment)), false);
    }

    public PaymentObject get(String merchantId, String paymentId) {
        return payments.find(merchantId, paymentId).map(PaymentViews::of)
                .orElseThrow(() -> ApiException.notFound("payment", paymentId));
    }

    private Payment authorize(Payment payment) {
        PaymentCommand.ApplyAuthorization outcome = collaborators.authorize(payment);
        Transition next = PaymentStateMachine.apply(payment, outcome);
        if (next.payment() == payment) {
            return payment;
        }
        long captured = next.payment().amountCapturedMinor() - payment.amountCapturedMinor();
        if (!payments.update(next, payment.version(), captured)) {
            // Someone (recovery) resolved it meanwhile: report the stored state.
            return payments.find(payment.merchantId(), payment.id()).orElseThrow();
        }
        return next.payment();
    }

    private static Payment received(String merchantId, CreatePayment command) {
        String id = Ids.newId(Ids.PAYMENT);
        Instant created = Ids.timestampOf(id);
        CaptureMethod captureMethod;
        try {
            captureMethod = CaptureMethod.fromApiName(command.captureMethod());
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidParameter("capture_method", e.getMessage() + ".");
        }
        return new Payment(id, merchantId, PaymentStatus.AUTHORIZING, captureMethod, command.amountMinor(),
                command.currency(), 0, 0, 0, command.token(), command.card(), null, null, null,
                command.reference(), command.description(), command.metadata(), command.idempotencyKey(),
                created, created, 0);
    }

    private static void validate(CreatePayment command) {
        if (command.amountMinor() <= 0) {
            throw ApiException.invalidParameter("amount", "amount must be a positive integer in minor units.");
        }
        if (!Currencies.isKnown(command.currency())) {
            throw ApiException.invalidParameter("currency", "currency must be an ISO 4217 code.");
        }
        if (command.token() == null || !command.token().startsWith(Ids.TOKEN + "_")) {
            throw ApiException.invalidParameter("payment_method", "a card token is required.");
        }
    }
}
