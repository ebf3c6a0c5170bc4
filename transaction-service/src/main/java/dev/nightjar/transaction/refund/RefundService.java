package dev.nightjar.transaction.refund;

import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.RefundObject;
import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Refund;
import dev.nightjar.transaction.domain.Transition;
import dev.nightjar.transaction.payment.Collaborators;
import dev.nightjar.transaction.payment.PaymentRefusedException;
import dev.nightjar.transaction.payment.PaymentRepository;
import dev.nightjar.transaction.payment.PaymentViews;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Refunds against storage and the acquirer: each is reserved against its payment (one versioned write with
 * the refund row), then asked of the acquirer through auth-service, then finished with its event; an answer
 * that is not known leaves it pending for the same request or the recovery path to ask about again.
 */
public final class RefundService {

    private static final int MAX_CONFLICT_RETRIES = 5;

    private final PaymentRepository repository;
    private final Collaborators collaborators;
    private final Clock clock;

    public RefundService(PaymentRepository repository, Collaborators collaborators, Clock clock) {
        this.repository = repository;
        this.collaborators = collaborators;
        this.clock = clock;
    }

    /** The recovery path for a refund whose answer is not known: asked again (same reference) and applied. */
    public Refund recover(Refund refund) {
        return refund.status() == RefundStatus.PENDING ? settle(refund) : refund;
    }

    /** The result of a refund request: the refund, and whether it already existed under the idempotency key. */
    public record RefundCreated(RefundObject refund, boolean existing) {
    }

    /**
     * Refunds all that is left or {@code requested} of it: reserved against the payment first, so refunds
     * in flight can never together exceed what was captured; then the acquirer. An unknown answer leaves
     * the refund pending (resolved later), never guessed.
     */
    public RefundCreated refund(String merchantId, String paymentId, String idempotencyKey, Long requested, String reason) {
        if (idempotencyKey != null) {
            var existing = repository.findRefundByKey(merchantId, idempotencyKey);
            if (existing.isPresent()) {
                // asked again while its answer is unknown: ask the acquirer again (same reference)
                Refund refund = existing.get().status() == RefundStatus.PENDING && !collaborators.authIsAway()
                        ? settle(existing.get()) : existing.get();
                return new RefundCreated(PaymentViews.of(refund), true);
            }
        }
        if (collaborators.authIsAway()) {
            throw PaymentRefusedException.acquirersUnreachable();
        }
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            Payment payment = payment(merchantId, paymentId);
            long amount = PaymentStateMachine.refundAmount(payment, requested);
            String refundId = Ids.newId(Ids.REFUND);
            Instant created = Ids.timestampOf(refundId);
            Refund refund = new Refund(refundId, paymentId, merchantId, amount, payment.currency(), reason,
                    RefundStatus.PENDING, null, null, idempotencyKey, created, created);
            Transition reserved = PaymentStateMachine.apply(payment, new PaymentCommand.ReserveRefund(refund, created));
            switch (repository.reserveRefund(reserved, payment.version())) {
                case RESERVED -> {
                    return new RefundCreated(PaymentViews.of(settle(refund)), false);
                }
                case KEY_TAKEN -> {
                    return new RefundCreated(PaymentViews.of(repository.findRefundByKey(merchantId, idempotencyKey).orElseThrow()), true);
                }
                case PAYMENT_CHANGED -> {
                    // Another change came first: read again and recheck what is refundable.
                }
            }
        }
        throw PaymentRefusedException.concurrentUpdate(paymentId);
    }

    /** Asks the acquirer and applies its answer to a reserved refund; returns the refund as it now stands. */
    private Refund settle(Refund pending) {
        Collaborators.Outcome outcome = collaborators.refund(pending);
        if (!outcome.approved() && !outcome.definitelyNothing()) {
            return pending;
        }
        Refund finished = outcome.approved()
                ? pending.finished(RefundStatus.SUCCEEDED, null, outcome.networkReference(), clock.instant())
                : pending.finished(RefundStatus.FAILED, outcome.declineCode() == null ? "acquirer_failure"
                        : outcome.declineCode(), outcome.networkReference(), clock.instant());
        for (int attempt = 0; attempt < MAX_CONFLICT_RETRIES; attempt++) {
            // the same answer may have been applied meanwhile, by the recovery path or the request asked again
            Refund current = repository.findRefund(pending.merchantId(), pending.id()).orElseThrow();
            if (current.status() != RefundStatus.PENDING) {
                return current;
            }
            Payment payment = payment(pending.merchantId(), pending.paymentId());
            Transition transition = PaymentStateMachine.apply(payment, new PaymentCommand.FinishRefund(finished, finished.updatedAt()));
            if (repository.finishRefund(transition, payment.version())) {
                return finished;
            }
        }
        throw PaymentRefusedException.concurrentUpdate(pending.paymentId());
    }

    public ListObject<RefundObject> refunds(String merchantId, String paymentId, String startingAfter, int limit) {
        payment(merchantId, paymentId);
        if (startingAfter != null && repository.findRefund(merchantId, startingAfter)
                .filter(refund -> refund.paymentId().equals(paymentId)).isEmpty()) {
            throw PaymentRefusedException.notFound("refund", startingAfter);
        }
        List<Refund> page = repository.refunds(merchantId, paymentId, startingAfter, limit + 1);
        return ListObject.of(page.stream().limit(limit).map(PaymentViews::of).toList(), page.size() > limit);
    }

    private Payment payment(String merchantId, String paymentId) {
        return repository.find(merchantId, paymentId).orElseThrow(() -> PaymentRefusedException.notFound("payment", paymentId));
    }
}
