package dev.nightjar.transaction.payment;

import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.contract.TransactionContract.CreatePayment;
import dev.nightjar.contracts.contract.WireValue;
import dev.nightjar.contracts.event.AuthResponseEvent;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.money.Currencies;
import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The payment lifecycle against storage and the acquirer: create, capture, cancel, review, read (refunds are
 * {@code RefundService}'s). Every
 * change is the state machine's transition committed with its events in one statement, conditional on
 * the version it was computed from; acquirer calls go through auth-service, which never repeats one.
 *
 * <p>An acquirer's answer means: approved, the change is committed; declined, a refusal naming the decline;
 * a certain failure, a refusal saying nothing moved (retry freely); no answer, a refusal whose retry (same
 * request) is safe, because auth-service re-sends the same reference and the acquirer deduplicates it. What
 * is refused is a {@link PaymentRefusedException}; its HTTP status is the web edge's business.
 */
public final class PaymentService {

    private static final int MAX_CONFLICT_RETRIES = 5;

    private final PaymentRepository payments;
    private final Collaborators collaborators;
    private final TraceContexts traces;
    private final Clock clock;

    public PaymentService(PaymentRepository payments, Collaborators collaborators, TraceContexts traces, Clock clock) {
        this.payments = payments;
        this.collaborators = collaborators;
        this.traces = traces;
        this.clock = clock;
    }

    /** The result of a create: the payment, and whether it already existed under the idempotency key. */
    public record Created(PaymentObject payment, boolean existing) {
    }

    public Created create(String merchantId, CreatePayment command) {
        validate(command);
        if (collaborators.authIsAway()) {
            // nothing is written: a payment that cannot be sent to the acquirer now is refused, not parked
            Payment existing = command.idempotencyKey() == null ? null
                    : payments.findByIdempotencyKey(merchantId, command.idempotencyKey()).orElse(null);
            if (existing != null) {
                return new Created(PaymentViews.of(existing), true);
            }
            throw PaymentRefusedException.acquirersUnreachable();
        }
        // No look-up first: the insert claims the key atomically, and a repeated key (rare here, since the
        // gateway answers replays itself) is found when the claim fails.
        Payment received = received(merchantId, command);
        traces.tag("payment.id", received.id());
        traces.tag("merchant.id", merchantId);
        Payment.Risk risk = collaborators.assess(received);
        traces.tag("risk.score", Integer.toString(risk.score()));
        Transition admitted = PaymentStateMachine.admit(received.withRisk(risk));
        if (!payments.insert(admitted)) {
            Payment winner = payments.findByIdempotencyKey(merchantId, command.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("idempotency key taken but no payment found"));
            // the merchant asks again for a payment whose outcome it never heard (a 503, a lost connection):
            // ask the acquirer again with the same reference, which answers what it did
            return new Created(PaymentViews.of(resolve(winner)), true);
        }
        Payment payment = admitted.payment();
        if (payment.status() != PaymentState.AUTHORIZING) {
            return new Created(PaymentViews.of(payment), false);
        }
        return new Created(PaymentViews.of(authorize(payment)), false);
    }

    /**
     * Accepts a payment to be processed later, answering before risk or the acquirer is asked: the payment is
     * stored {@code received} with its {@code payment_requests} record in one statement, so an accepted payment
     * is never lost, and {@link #process} takes it from there (the topic's consumer, or the recovery path should
     * the record be late). Accepting needs no collaborator: it works while auth-service is away, and the
     * payment waits for it. A repeated idempotency key answers the payment stored under it, as it is now.
     */
    public Created accept(String merchantId, CreatePayment command) {
        validate(command);
        Transition received = PaymentStateMachine.receive(received(merchantId, command));
        if (!payments.insert(received)) {
            return new Created(PaymentViews.of(payments.findByIdempotencyKey(merchantId, command.idempotencyKey())
                    .orElseThrow(() -> new IllegalStateException("idempotency key taken but no payment found"))), true);
        }
        traces.tag("payment.id", received.payment().id());
        traces.tag("merchant.id", merchantId);
        return new Created(PaymentViews.of(received.payment()), false);
    }

    /**
     * Processes a payment accepted asynchronously, exactly as a synchronous create would have: risk admits it
     * (declined, held for review, or on to the acquirer), then the acquirer is asked. Anything but a
     * {@code received} payment is left as it is, so a record delivered twice, or raced by the recovery path,
     * is processed once: admitting is conditional on the version read. Returns the payment as it is afterwards.
     */
    public Payment process(String merchantId, String paymentId) {
        return payments.find(merchantId, paymentId).map(this::process).orElse(null);
    }

    private Payment process(Payment received) {
        if (received.status() != PaymentState.RECEIVED || collaborators.authIsAway()) {
            // away: it stays received, admitted by nobody, until auth-service is back
            return received;
        }
        traces.tag("payment.id", received.id());
        traces.tag("merchant.id", received.merchantId());
        Transition admitted = PaymentStateMachine.admit(received.withRisk(collaborators.assess(received)));
        if (!payments.update(admitted, received.version())) {
            return find(received.merchantId(), received.id());
        }
        Payment payment = admitted.payment();
        return payment.status() == PaymentState.AUTHORIZING ? authorize(payment) : payment;
    }

    /**
     * Asks again about a payment whose outcome is not known (pending, or left authorizing by a crash): the
     * same authorization, so the same reference at the same acquirer, which answers what it did the first
     * time instead of charging again. Returns the payment as it is afterwards.
     */
    public Payment resolve(String merchantId, String paymentId) {
        return resolve(find(merchantId, paymentId));
    }

    private Payment resolve(Payment payment) {
        if (!payment.status().awaitsTheAuthorization()) {
            return payment;
        }
        return authorize(payment);
    }

    /**
     * The recovery path for one payment: whatever was sent to the acquirer and not applied (an
     * authorization, a claimed capture or cancel) is asked about again with the same reference and its
     * answer applied; an accepted payment still waiting to be processed is processed. Returns the payment as
     * it is afterwards, still waiting if the answer is still unknown.
     */
    public Payment recover(Payment payment) {
        return switch (payment.status()) {
            case RECEIVED -> process(payment);
            case AUTHORIZING, PENDING -> authorize(payment);
            case CAPTURING, CANCELING -> finish(payment).payment();
            default -> payment;
        };
    }

    /**
     * Of the payments these acquirer answers are about, the ids of those pending now: the only ones
     * {@link #applyDecision} can move, looked up for a whole batch of answers at once.
     */
    public java.util.Set<String> pendingAmong(List<AuthResponseEvent> answers) {
        java.util.Map<String, String> payments = new java.util.HashMap<>();
        answers.forEach(answer -> payments.put(answer.paymentId(), answer.merchantId()));
        return payments.isEmpty() ? java.util.Set.of() : this.payments.pendingAmong(payments);
    }

    /**
     * An acquirer's decision on a pending payment's authorization, heard on {@code auth_responses}: the
     * answer to this service's own call was not known in time (a timeout, a lost connection), and the
     * acquirer's late answer moves the payment now instead of at the next inquiry. Only pending payments:
     * one still authorizing has its call under way, whose own answer moves it (or the recovery job, should
     * this service die waiting), so the merchant's path never races this consumer. Skipped once the payment
     * has moved on, so the same event delivered again changes nothing; answers other than a decision say
     * nothing about the payment (another acquirer may follow a failed attempt). Returns whether it moved it.
     */
    public boolean applyDecision(AuthResponseEvent decision) {
        if (!decision.decided()) {
            return false;
        }
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Payment current = payments.find(decision.merchantId(), decision.paymentId()).orElse(null);
            if (current == null || current.status() != PaymentState.PENDING) {
                return false;
            }
            Transition next = PaymentStateMachine.apply(current, new PaymentCommand.ApplyAuthorization(
                    PaymentCommand.ApplyAuthorization.Outcome.of(decision.outcome()), decision.acquirer(), decision.networkReference(), decision.authorizationCode(), decision.declineCode(),
                    decision.captured(), clock.instant()));
            if (payments.update(next, current.version())) {
                return true;
            }
        }
        return false;
    }

    public PaymentObject get(String merchantId, String paymentId) {
        return PaymentViews.of(find(merchantId, paymentId));
    }

    /**
     * Captures all that is capturable or {@code requested} of it; the rest of the hold is released. The
     * capture is claimed first, so of several capture or cancel requests racing for this payment exactly one
     * reaches the acquirer; the others are 409s naming the status. The request that claimed it
     * ({@code requestKey}, the keyed hash of its Idempotency-Key) may ask again after an unknown outcome.
     */
    public PaymentObject capture(String merchantId, String paymentId, Long requested, String requestKey) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Payment current = find(merchantId, paymentId);
            if (current.status() == PaymentState.CAPTURING && sameRequest(current, requestKey)
                    && (requested == null || requested == current.inFlight().amountMinor())) {
                return PaymentViews.of(requireApproved(finish(current), "capture"));
            }
            Transition claim = PaymentStateMachine.apply(current,
                    new PaymentCommand.BeginCapture(requested, requestKey, newClaim(), clock.instant()));
            if (collaborators.authIsAway()) {
                throw PaymentRefusedException.acquirersUnreachable();
            }
            if (payments.update(claim, current.version())) {
                return PaymentViews.of(requireApproved(finish(claim.payment()), "capture"));
            }
        }
        throw PaymentRefusedException.concurrentUpdate(paymentId);
    }

    /** A reviewer's approval: the held payment goes to the acquirer now. */
    public PaymentObject approveReview(String merchantId, String paymentId) {
        if (collaborators.authIsAway()) {
            throw PaymentRefusedException.acquirersUnreachable();
        }
        Payment approved = applyRetrying(merchantId, paymentId,
                current -> PaymentStateMachine.apply(current, new PaymentCommand.ApproveReview(clock.instant())));
        return PaymentViews.of(authorize(approved));
    }

    /** Payments waiting for a reviewer (held for review, or flagged after their authorization), newest first. */
    public ListObject<PaymentObject> reviews(String merchantId, String startingAfter, int limit) {
        if (startingAfter != null) {
            find(merchantId, startingAfter);
        }
        List<Payment> page = payments.reviews(merchantId, startingAfter, limit + 1);
        return ListObject.of(page.stream().limit(limit).map(PaymentViews::of).toList(), page.size() > limit);
    }

    /**
     * Cancels a payment held for review (no acquirer involved), or claims the cancel of an authorization and
     * has the acquirer release it; a cancel racing a capture or another cancel is a 409, as for captures.
     */
    public PaymentObject cancel(String merchantId, String paymentId, String requestKey) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Payment current = find(merchantId, paymentId);
            if (current.status() == PaymentState.REQUIRES_REVIEW) {
                Transition rejected = PaymentStateMachine.apply(current, new PaymentCommand.Cancel(clock.instant()));
                if (payments.update(rejected, current.version())) {
                    return PaymentViews.of(rejected.payment());
                }
                continue;
            }
            if (current.status() == PaymentState.CANCELING && sameRequest(current, requestKey)) {
                return PaymentViews.of(requireApproved(finish(current), "cancel"));
            }
            Transition claim = PaymentStateMachine.apply(current, new PaymentCommand.BeginCancel(requestKey, newClaim(), clock.instant()));
            if (collaborators.authIsAway()) {
                throw PaymentRefusedException.acquirersUnreachable();
            }
            if (payments.update(claim, current.version())) {
                return PaymentViews.of(requireApproved(finish(claim.payment()), "cancel"));
            }
        }
        throw PaymentRefusedException.concurrentUpdate(paymentId);
    }

    /** A claimed capture or cancel, asked of the acquirer (the same reference every time), with its answer. */
    private record Finished(Payment payment, Collaborators.Outcome outcome) {
    }

    /**
     * Asks the acquirer to carry out the payment's claimed capture or cancel and applies the answer: done
     * (captured, canceled), or nothing happened (back to authorized). An unknown answer leaves the claim for
     * the same request or the recovery path to ask about again.
     */
    private Finished finish(Payment claimed) {
        boolean capture = claimed.status() == PaymentState.CAPTURING;
        Collaborators.Outcome outcome = capture
                ? collaborators.capture(claimed, claimed.inFlight().amountMinor())
                : collaborators.voidAuthorization(claimed);
        PaymentCommand command;
        if (outcome.approved()) {
            command = capture ? new PaymentCommand.Captured(claimed.inFlight().amountMinor(), clock.instant())
                    : new PaymentCommand.Cancel(clock.instant());
        } else if (outcome.definitelyNothing()) {
            command = new PaymentCommand.OperationFailed(clock.instant());
        } else {
            return new Finished(claimed, outcome);
        }
        Transition transition = PaymentStateMachine.apply(claimed, command);
        if (payments.update(transition, claimed.version())) {
            return new Finished(transition.payment(), outcome);
        }
        // the same answer was applied meanwhile (by the recovery path, or the same request asked twice)
        return new Finished(find(claimed.merchantId(), claimed.id()), outcome);
    }

    private static String newClaim() {
        return java.util.UUID.randomUUID().toString();
    }

    private static boolean sameRequest(Payment claimed, String requestKey) {
        return requestKey != null && requestKey.equals(claimed.inFlight().requestKey());
    }

    /**
     * A merchant's payments, newest first; only those merchants see in {@code status} (an API status name) when
     * it is given.
     */
    public ListObject<PaymentObject> list(String merchantId, String status, String startingAfter, int limit) {
        java.util.Set<PaymentState> statuses = status == null ? java.util.Set.of() : PaymentState.shownAs(shownStatus(status));
        if (startingAfter != null) {
            find(merchantId, startingAfter);
        }
        List<Payment> page = payments.list(merchantId, statuses, startingAfter, limit + 1);
        return ListObject.of(page.stream().limit(limit).map(PaymentViews::of).toList(), page.size() > limit);
    }

    private Payment authorize(Payment payment) {
        PaymentCommand.ApplyAuthorization outcome = collaborators.authorize(payment);
        Transition next = PaymentStateMachine.apply(payment, outcome);
        if (next.payment() == payment) {
            return payment;
        }
        if (!payments.update(next, payment.version())) {
            // Someone (recovery) resolved it meanwhile: report the stored state.
            return payments.find(payment.merchantId(), payment.id()).orElseThrow();
        }
        return next.payment();
    }

    /** Applies a change, rereading the payment (and judging the change again) when someone else changed it first. */
    private Payment applyRetrying(String merchantId, String paymentId, Function<Payment, Transition> change) {
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Payment current = find(merchantId, paymentId);
            Transition transition = change.apply(current);
            if (payments.update(transition, current.version())) {
                return transition.payment();
            }
        }
        throw PaymentRefusedException.concurrentUpdate(paymentId);
    }

    /** The status a listing filters on, by its API name. */
    private static PaymentStatus shownStatus(String apiName) {
        // the value is not repeated: it could be anything, a card number included
        return WireValue.find(PaymentStatus.class, apiName).orElseThrow(() -> PaymentRefusedException.invalidParameter("status",
                "status must be one of " + String.join(", ", WireValue.names(PaymentStatus.class)) + "."));
    }

    private static Payment requireApproved(Finished finished, String action) {
        requireApproved(finished.outcome(), action);
        return finished.payment();
    }

    private static void requireApproved(Collaborators.Outcome outcome, String action) {
        if (outcome.approved()) {
            return;
        }
        throw new PaymentRefusedException(switch (outcome.outcome()) {
            case DECLINED -> new PaymentRefusedException.Reason.Declined(action, outcome.declineCode());
            case FAILED -> new PaymentRefusedException.Reason.AcquirerFailed(action);
            // the acquirer was not reached (its breaker open, its bulkhead full): it is away, not failing
            case NOT_SENT -> new PaymentRefusedException.Reason.AcquirerUnavailable(action, false);
            case APPROVED, UNKNOWN -> new PaymentRefusedException.Reason.AcquirerUnavailable(action, true);
        });
    }

    private Payment find(String merchantId, String paymentId) {
        return payments.find(merchantId, paymentId).orElseThrow(() -> PaymentRefusedException.notFound("payment", paymentId));
    }

    private static Payment received(String merchantId, CreatePayment command) {
        String id = Ids.newId(Ids.PAYMENT);
        Instant created = Ids.timestampOf(id);
        CaptureMethod captureMethod;
        try {
            captureMethod = CaptureMethod.fromApiName(command.captureMethod());
        } catch (IllegalArgumentException e) {
            throw PaymentRefusedException.invalidParameter("capture_method", e.getMessage() + ".");
        }
        return new Payment(id, merchantId, PaymentState.AUTHORIZING, captureMethod, command.amountMinor(),
                command.currency(), 0, 0, 0, 0, command.token(), command.card(), null, null, null,
                command.reference(), command.description(), command.metadata(), command.idempotencyKey(), null,
                created, created, 0);
    }

    private static void validate(CreatePayment command) {
        if (command.amountMinor() <= 0) {
            throw PaymentRefusedException.invalidParameter("amount", "amount must be a positive integer in minor units.");
        }
        if (!Currencies.isKnown(command.currency())) {
            throw PaymentRefusedException.invalidParameter("currency", "currency must be an ISO 4217 code.");
        }
        if (command.token() == null || !command.token().startsWith(Ids.TOKEN + "_")) {
            throw PaymentRefusedException.invalidParameter("payment_method", "a card token is required.");
        }
    }
}
