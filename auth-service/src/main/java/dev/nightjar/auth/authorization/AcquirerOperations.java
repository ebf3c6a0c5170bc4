package dev.nightjar.auth.authorization;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.auth.acquirer.AcquirerResult;
import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.http.BusyRetry;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.RemoteCallException;
import dev.nightjar.common.jdbc.SqlValues;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.outbox.Outbox;
import dev.nightjar.common.outbox.OutboxSignal;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.AcquirerOutcome;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeRequest;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeResponse;
import dev.nightjar.contracts.contract.AuthContract.CaptureRequest;
import dev.nightjar.contracts.contract.AuthContract.OperationResponse;
import dev.nightjar.contracts.contract.AuthContract.RefundRequest;
import dev.nightjar.contracts.contract.AuthContract.VoidRequest;
import dev.nightjar.contracts.contract.VaultContract;
import dev.nightjar.contracts.contract.VaultContract.DetokenizeRequest;
import dev.nightjar.contracts.contract.VaultContract.DetokenizeResponse;
import dev.nightjar.contracts.event.AuthResponseEvent;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.RestClientException;

/**
 * Every money operation at an acquirer: authorize (or sale), capture, void, refund. Each is recorded
 * before the acquirer is called, once per subject (the payment; the refund for refunds), and its id is
 * the reference the acquirer deduplicates on: a repeated request re-sends the same reference, so a card
 * is never charged, captured, released or refunded twice. The outcome and its {@code auth_responses}
 * event are written together in one statement.
 *
 * <p>One request at a time sends an attempt: the request that records it, reopens it or claims it holds it
 * ({@code sending_by}) until its answer is written or the lease runs out. Another request asking about the
 * same attempt meanwhile does not call the acquirer; it answers {@code unknown} (the caller asks again
 * later), so "not called" always means that no call with that reference can be under way, and a failover
 * never races a charge at the first acquirer.
 */
public final class AcquirerOperations {

    static final String AUTHORIZE = "authorize";
    static final String SALE = "sale";
    static final String CAPTURE = "capture";
    static final String VOID = "void";
    static final String REFUND = "refund";

    private final JdbcClient jdbc;
    private final InternalClients clients;
    private final AcquirerRouter router;
    private final TraceContexts traces;
    private final long sendLeaseMillis;
    private final OutboxSignal outbox;
    private final Counter vaultBusy;

    /**
     * @param sendLease how long a request may hold an attempt it sends: longer than the longest call (the
     *                  vault, then the acquirer with its retries), so only a sender that died loses it
     * @param outbox    raised when an outcome's event is committed to the outbox, for the relay
     */
    public AcquirerOperations(JdbcClient jdbc, InternalClients clients, AcquirerRouter router, TraceContexts traces,
                              java.time.Duration sendLease, OutboxSignal outbox, MeterRegistry meters) {
        this.outbox = outbox;
        this.vaultBusy = BusyRetry.counter(meters, Identities.VAULT);
        this.jdbc = jdbc;
        this.clients = clients;
        this.router = router;
        this.traces = traces;
        this.sendLeaseMillis = sendLease.toMillis();
    }

    public AuthorizeResponse authorize(AuthorizeRequest request) {
        require(request.paymentId(), "payment_id");
        require(request.merchantId(), "merchant_id");
        require(request.token(), "token");
        requirePositive(request.amountMinor());
        Authorization run = new Authorization(request, newSender());
        if (!run.enter()) {
            // another request holds the payment: answer what its attempts say, without calling anyone
            return answer(run.current, run.current.isDecided() ? run.current.status().answered() : AcquirerOutcome.UNKNOWN);
        }
        try {
            AcquirerOutcome outcome = run.toAnOutcome();
            traces.tag("payment.id", request.paymentId());
            traces.tag("merchant.id", request.merchantId());
            traces.tag("acquirer", run.current.acquirer());
            traces.tag("attempt", Integer.toString(run.current.attempt()));
            traces.tag("outcome", outcome.wire());
            return answer(run.current, outcome);
        } finally {
            if (!run.released) {
                release(run.operation, request.paymentId(), run.sender);
            }
        }
    }

    /**
     * One authorization request's work on its payment: the attempt it stands on ({@code current}), the attempts
     * it knows of, which ones it recorded or reopened itself ({@code fresh}: those it may send without
     * claiming), which acquirers it tried, and whether every try failed without reaching an acquirer.
     */
    private final class Authorization {

        private final AuthorizeRequest request;
        private final String operation;
        private final String sender;
        private final List<AcquirerConnector> candidates;
        private final List<Operation> attempts = new ArrayList<>();
        private final java.util.Set<String> fresh = new java.util.HashSet<>();
        private final java.util.Set<String> triedNow = new java.util.HashSet<>();
        private Operation current;
        private boolean onlyNotCalled = true;
        private boolean released;

        Authorization(AuthorizeRequest request, String sender) {
            this.request = request;
            this.operation = request.capture() ? SALE : AUTHORIZE;
            this.sender = sender;
            this.candidates = router.route(request);
        }

        /**
         * Records the first attempt, or, for a repeated request, takes the payment and reads its attempts.
         * False when another request holds the payment ({@code current} is then the outcome its attempts say).
         */
        boolean enter() {
            // the common case, a new payment, costs one insert; only a repeated request reads its attempts
            Operation first = attempt(request, operation, candidates.get(0).name(), 1);
            current = begin(first, sender);
            if (current.id().equals(first.id())) {
                attempts.add(current);
                fresh.add(first.id());
                return true;
            }
            // A repeated request works on the payment only while no other request does: the first attempt's
            // row is the payment's lock. Two requests each deciding on their own (one failing over to the next
            // acquirer, the other reopening the first attempt) would charge the card at both.
            boolean held = holdPayment(operation, request.paymentId(), sender);
            attempts.addAll(attempts(operation, request.paymentId()));
            current = checked(outcomeOf(attempts), request.paymentId(), request.amountMinor());
            return held;
        }

        /** Sends, asks again and fails over until an acquirer's answer, an unknown, or nothing left to try. */
        AcquirerOutcome toAnOutcome() {
            while (true) {
                if (!current.isFinal() && !send()) {
                    // a request that died sending this attempt still holds it: until its lease runs out,
                    // nothing is learnt (and nothing may fail over)
                    onlyNotCalled = false;
                    break;
                }
                if (current.status() != AttemptStatus.FAILED) {
                    onlyNotCalled = false;
                    break;
                }
                // The attempts as they stand (this request holds the payment): one the acquirer decided, or one
                // still unresolved, is the outcome to learn; another acquirer is tried only when every attempt
                // failed. (An attempt reopened and approved at the first acquirer while a later one, at the
                // second, stood failed: sending that later one again charged the card twice.)
                List<Operation> standing = attempts(operation, request.paymentId());
                Operation outcome = outcomeOf(standing);
                if (outcome.status() != AttemptStatus.FAILED) {
                    current = outcome;
                    continue;
                }
                attempts.clear();
                attempts.addAll(standing);
                if (failedBefore(standing, fresh)) {
                    // An acquirer failed for certain in an earlier request, which answered "failed" (the caller
                    // may have failed the payment): that answer stands, and no later request sends the payment
                    // elsewhere (one did, and charged a failed payment at the acquirer not reached then).
                    break;
                }
                Optional<AcquirerConnector> next = nextAcquirer();
                if (next.isEmpty()) {
                    break;
                }
                failOverTo(next.get());
            }
            return current.status() == AttemptStatus.FAILED && onlyNotCalled && !triedNow.isEmpty()
                    ? AcquirerOutcome.NOT_SENT : current.status().answered();
        }

        /**
         * Sends {@code current} (claimed first unless this request recorded it) and writes the answer; false when
         * another request holds it.
         */
        private boolean send() {
            Optional<Operation> claimed = fresh.contains(current.id()) ? Optional.of(current) : claim(current, sender);
            if (claimed.isEmpty()) {
                return false;
            }
            current = claimed.get();
            // never answered, or answered unknown: the same reference again, at the same acquirer (it
            // deduplicates, so this is an inquiry when it did act)
            AcquirerResult result = callAuthorize(router.byName(current.acquirer()), current, request);
            if (result instanceof AcquirerResult.Failed failed && !fresh.contains(current.id())) {
                // an attempt sent before may have been acted on: an inquiry that fails (or cannot even be
                // made) learns nothing, so the outcome stays unknown and never fails over
                result = new AcquirerResult.Unknown("inquiry not answered: " + failed.reason());
            }
            // the first attempt's row holds the payment until no failover can follow
            boolean release = current.attempt() != 1 || !(result instanceof AcquirerResult.Failed);
            current = finish(current, result, sender, release);
            released |= release && current.attempt() == 1;
            triedNow.add(current.acquirer());
            onlyNotCalled &= current.neverSent();
            return true;
        }

        /**
         * Certainly nothing is held at the acquirers tried: the next one of the route not yet tried now and
         * never reached before (its attempts there, if any, never left: its breaker may have closed since).
         */
        private Optional<AcquirerConnector> nextAcquirer() {
            return candidates.stream()
                    .filter(candidate -> !triedNow.contains(candidate.name()))
                    .filter(candidate -> attempts.stream().filter(tried -> tried.acquirer().equals(candidate.name()))
                            .allMatch(Operation::neverSent))
                    .findFirst();
        }

        /** Makes {@code next}'s attempt the current one: the one that never reached it, reopened, or a new one. */
        private void failOverTo(AcquirerConnector next) {
            triedNow.add(next.name());
            Optional<Operation> neverSent = attempts.stream()
                    .filter(tried -> tried.acquirer().equals(next.name())).reduce((a, b) -> b);
            if (neverSent.isPresent()) {
                // an attempt that never reached its acquirer is sent again under its own reference (the
                // acquirer never saw it), so asking again and again through an outage adds no attempts
                Optional<Operation> reopened = reopen(neverSent.get(), sender);
                reopened.ifPresent(op -> fresh.add(op.id()));
                current = reopened.orElseGet(() -> reread(neverSent.get()));
                return;
            }
            int nextAttempt = attempts.stream().mapToInt(Operation::attempt).max().orElseThrow() + 1;
            Operation proposed = attempt(request, operation, next.name(), nextAttempt);
            current = begin(proposed, sender);
            if (current.id().equals(proposed.id())) {
                fresh.add(proposed.id());
            }
            attempts.add(current);
        }
    }

    /**
     * Which of a payment's attempts says its outcome: the one an acquirer approved or declined (there is at most
     * one: nothing fails over from a decision), else one still sent or unknown (at most one: nothing fails over
     * from those either), else the last, failed.
     */
    private static Operation outcomeOf(List<Operation> attempts) {
        return attempts.stream().filter(Operation::isDecided).findFirst()
                .or(() -> attempts.stream().filter(op -> !op.isFinal()).findFirst())
                .orElse(attempts.get(attempts.size() - 1));
    }

    /** Whether an attempt not sent by this request failed with the acquirer reached (or the card refused for good). */
    private static boolean failedBefore(List<Operation> standing, java.util.Set<String> sentNow) {
        return standing.stream().anyMatch(op -> op.status() == AttemptStatus.FAILED && !op.neverSent()
                && !sentNow.contains(op.id()));
    }

    private static AuthorizeResponse answer(Operation current, AcquirerOutcome outcome) {
        return new AuthorizeResponse(outcome, current.shownDeclineCode(),
                current.acquirer(), current.networkReference(), current.authorizationCode(), current.captured());
    }

    /** Takes the payment's lock (its first attempt's row, whatever that attempt's status), unless another request holds it. */
    private boolean holdPayment(String operation, String paymentId, String sender) {
        return jdbc.sql("""
                        UPDATE acquirer_operations
                           SET sending_by = :sender, sending_until = now() + :lease * interval '1 millisecond'
                         WHERE operation = :operation AND subject_id = :subject AND attempt = 1
                           AND (sending_until IS NULL OR sending_until < now())""")
                .param("operation", operation).param("subject", paymentId).param("sender", sender)
                .param("lease", sendLeaseMillis)
                .update() == 1;
    }

    /** Lets go of every attempt of the subject this request still holds (best effort: the lease ends anyway). */
    private void release(String operation, String subjectId, String sender) {
        try {
            jdbc.sql("""
                            UPDATE acquirer_operations SET sending_by = NULL, sending_until = NULL
                             WHERE operation = :operation AND subject_id = :subject AND sending_by = :sender""")
                    .param("operation", operation).param("subject", subjectId).param("sender", sender)
                    .update();
        } catch (RuntimeException e) {
            // the database is away: the lease runs out by itself
        }
    }

    /**
     * Makes an attempt that never reached its acquirer ready to be sent again, under the same reference;
     * empty when another request reopened (or finished) it first.
     */
    private Optional<Operation> reopen(Operation neverSent, String sender) {
        return reopen(neverSent, sender, null);
    }

    /** The same, for a new claim (null: keep the attempt's own), the earlier one kept with the attempt. */
    private Optional<Operation> reopen(Operation neverSent, String sender, String newClaim) {
        int reopened = jdbc.sql("""
                        UPDATE acquirer_operations SET status = 'sent', decline_code = NULL, updated_at = now(),
                               sending_by = :sender, sending_until = now() + :lease * interval '1 millisecond',
                               earlier_claims = CASE WHEN CAST(:claim AS text) IS NULL OR claim IS NULL THEN earlier_claims
                                                     ELSE array_append(earlier_claims, claim) END,
                               claim = coalesce(CAST(:claim AS text), claim)
                        WHERE id = :id AND status = 'failed' AND decline_code = :not_called""")
                .param("id", neverSent.id()).param("not_called", NOT_CALLED)
                .param("sender", sender).param("lease", sendLeaseMillis).param("claim", newClaim)
                .update();
        return reopened == 1 ? Optional.of(neverSent.with(AttemptStatus.SENT, null, null, null, false)) : Optional.empty();
    }

    /** Whether {@code claim} was answered "not called" by an attempt since sent again for a later claim. */
    private boolean answeredBefore(String operation, String subjectId, String claim) {
        return jdbc.sql("""
                        SELECT EXISTS (SELECT 1 FROM acquirer_operations
                                        WHERE operation = :operation AND subject_id = :subject
                                          AND CAST(:claim AS text) = ANY (earlier_claims))""")
                .param("operation", operation).param("subject", subjectId).param("claim", claim)
                .query(Boolean.class).single();
    }

    /** The most attempts one subject may have (the table's bound): a new claim past it is refused as failed. */
    static final int MAX_ATTEMPTS = 10;
    /** The decline code of a capture, void or refund refused because its attempts reached {@link #MAX_ATTEMPTS}. */
    static final String TOO_MANY_ATTEMPTS = "too_many_attempts";

    /** Recorded as the decline code of a failed attempt that never reached its acquirer. */
    static final String NOT_CALLED = "not_called";

    private static Operation attempt(AuthorizeRequest request, String operation, String acquirer, int attempt) {
        return new Operation(Ids.newId(Ids.AUTHORIZATION), request.paymentId(), request.paymentId(), request.merchantId(),
                operation, acquirer, request.amountMinor(), request.currency(), null, AttemptStatus.SENT, null, null, null, false, attempt,
                null);
    }

    private AcquirerResult callAuthorize(AcquirerConnector acquirer, Operation recorded, AuthorizeRequest request) {
        try {
            AcquirerConnector.Card card = card(request);
            return acquirer.authorize(recorded.id(), request.merchantId(), request.amountMinor(), request.currency(),
                    card, request.capture());
        } catch (RemoteCallException e) {
            if (e.isClientError()) {
                // the vault refused the token for good: nothing reached the acquirer, and nothing ever will
                return new AcquirerResult.Failed("vault: " + e.getMessage());
            }
            return AcquirerResult.Failed.notTried("the vault could not give the card: " + e.getMessage());
        } catch (RestClientException e) {
            // the vault is away: nothing reached the acquirer, and it may be sent once the vault is back
            return AcquirerResult.Failed.notTried("the vault could not give the card: " + e.getMessage());
        }
    }

    public OperationResponse capture(CaptureRequest request) {
        requirePositive(request.amountMinor());
        return onAuthorization(request.paymentId(), request.paymentId(), request.merchantId(), CAPTURE,
                request.claim(), request.amountMinor(), request.currency(),
                (connector, op) -> connector.capture(op.id(), op.authorizationReference(), op.amountMinor(), op.currency()));
    }

    public OperationResponse voidAuthorization(VoidRequest request) {
        return onAuthorization(request.paymentId(), request.paymentId(), request.merchantId(), VOID, request.claim(), 0, null,
                (connector, op) -> connector.voidAuthorization(op.id(), op.authorizationReference()));
    }

    public OperationResponse refund(RefundRequest request) {
        require(request.refundId(), "refund_id");
        requirePositive(request.amountMinor());
        // a refund that failed is final for the transaction service (a new refund has a new id): its one claim
        // is the refund itself, so asking about it again never sends a new attempt
        return onAuthorization(request.refundId(), request.paymentId(), request.merchantId(), REFUND,
                request.refundId(), request.amountMinor(), request.currency(),
                (connector, op) -> connector.refund(op.id(), op.authorizationReference(), op.amountMinor(), op.currency()));
    }

    /**
     * A capture, void or refund: at the acquirer that approved the payment's authorization, naming it. The
     * caller's {@code claim} (null: none) ties the attempt to it: asked again about a claim, the answer comes
     * from that claim's attempt, sent again if its outcome is not known, never a new attempt after a failure.
     */
    private OperationResponse onAuthorization(String subjectId, String paymentId, String merchantId, String operation,
                                              String claim, long amountMinor, String currency,
                                              java.util.function.BiFunction<AcquirerConnector, Operation, AcquirerResult> call) {
        require(paymentId, "payment_id");
        require(merchantId, "merchant_id");
        Operation authorization = approvedAuthorization(paymentId)
                .filter(op -> op.merchantId().equals(merchantId) && op.status() == AttemptStatus.APPROVED)
                .orElseThrow(() -> new ApiException(409, ApiError.of(ErrorType.INVALID_REQUEST, "no_approved_authorization",
                        "Payment " + paymentId + " has no approved authorization to " + operation + ".")));
        List<Operation> earlier = attempts(operation, subjectId);
        Operation last = earlier.isEmpty() ? null : earlier.get(earlier.size() - 1);
        Optional<Operation> claimed = claim == null ? Optional.empty()
                : earlier.stream().filter(op -> claim.equals(op.claim())).findFirst();
        String sender = newSender();
        if (claimed.isEmpty() && claim != null && last != null) {
            if (answeredBefore(operation, subjectId, claim)) {
                // this claim's attempt never reached the acquirer, was answered so, and was sent again for a
                // later claim: the answer this claim was given stands
                return new OperationResponse(AcquirerOutcome.NOT_SENT, null, last.acquirer(), last.networkReference());
            }
            if (last.neverSent() && last.amountMinor() == amountMinor) {
                // the acquirer never saw the last attempt: a new claim sends it again under its own reference, so
                // retries through an acquirer's outage add no attempts
                Optional<Operation> reopened = reopen(last, sender, claim);
                if (reopened.isPresent()) {
                    return send(reopened.get(), true, sender, call);
                }
            }
        }
        // a capture, void or refund that failed for certain did nothing: asked again under a new claim (or
        // none), it is a new attempt (a new reference, possibly another amount); anything else answers as before.
        // The claim that failed stays failed: its caller has been told, and may have let the payment go on.
        int attempt = claimed.map(Operation::attempt).orElseGet(() -> last == null ? 1
                : last.status() == AttemptStatus.FAILED ? last.attempt() + 1 : last.attempt());
        if (attempt > MAX_ATTEMPTS) {
            return new OperationResponse(AcquirerOutcome.FAILED, TOO_MANY_ATTEMPTS, last.acquirer(), last.networkReference());
        }
        Operation proposed = new Operation(Ids.newId(Ids.AUTHORIZATION), subjectId, paymentId, merchantId, operation,
                authorization.acquirer(), amountMinor, currency == null ? authorization.currency() : currency,
                authorization.networkReference(), AttemptStatus.SENT, null, null, null, false, attempt, claim);
        Operation recorded = begin(proposed, sender);
        return send(recorded, recorded.id().equals(proposed.id()), sender, call);
    }

    /** Sends a capture, void or refund attempt unless it is final or another request is sending it; its answer. */
    private OperationResponse send(Operation recorded, boolean fresh, String sender,
                                   java.util.function.BiFunction<AcquirerConnector, Operation, AcquirerResult> call) {
        if (!recorded.isFinal()) {
            Optional<Operation> held = fresh ? Optional.of(recorded) : claim(recorded, sender);
            if (held.isPresent()) {
                AcquirerResult result = call.apply(router.byName(recorded.acquirer()), held.get());
                if (result instanceof AcquirerResult.Failed failed && !fresh) {
                    // this attempt was sent before and may have been acted on: an inquiry that fails (or cannot
                    // even be made) learns nothing, so it stays unknown rather than let a new attempt act twice
                    result = new AcquirerResult.Unknown("inquiry not answered: " + failed.reason());
                }
                recorded = finish(held.get(), result, sender);
            } else {
                // another request is sending it right now; its answer decides
                recorded = reread(recorded);
            }
        }
        return new OperationResponse(recorded.outcome(), recorded.shownDeclineCode(), recorded.acquirer(),
                recorded.networkReference());
    }

    /** The card behind the token; a busy vault did nothing with the request, so it is asked again ({@link BusyRetry}). */
    private AcquirerConnector.Card card(AuthorizeRequest request) {
        DetokenizeResponse card = BusyRetry.call(() -> clients.client(Identities.VAULT).post()
                .uri(VaultContract.DETOKENIZE, request.token())
                .body(new DetokenizeRequest(request.merchantId(), request.paymentId()))
                .retrieve()
                .body(DetokenizeResponse.class), vaultBusy::increment);
        if (card == null) {
            throw new org.springframework.web.client.ResourceAccessException("empty answer from the vault");
        }
        return new AcquirerConnector.Card(card.number(), card.expMonth(), card.expYear(), card.cvc());
    }

    /**
     * Records the operation, held by {@code sender} for sending, or finds the one already recorded for this
     * subject (held by nobody on this request's behalf: see {@link #claim}).
     */
    private Operation begin(Operation operation, String sender) {
        int inserted = jdbc.sql("""
                        INSERT INTO acquirer_operations (id, subject_id, payment_id, merchant_id, operation, acquirer,
                                                         amount_minor, currency, authorization_reference, status, attempt,
                                                         sending_by, sending_until, claim)
                        VALUES (:id, :subject, :payment, :merchant, :operation, :acquirer, :amount, :currency,
                                :authorization, 'sent', :attempt, :sender, now() + :lease * interval '1 millisecond', :claim)
                        ON CONFLICT (operation, subject_id, attempt) DO NOTHING""")
                .param("sender", sender).param("lease", sendLeaseMillis)
                .param("id", operation.id()).param("subject", operation.subjectId()).param("payment", operation.paymentId())
                .param("merchant", operation.merchantId()).param("operation", operation.operation())
                .param("acquirer", operation.acquirer()).param("amount", operation.amountMinor())
                .param("currency", operation.currency()).param("authorization", SqlValues.text(operation.authorizationReference()))
                .param("attempt", operation.attempt()).param("claim", SqlValues.text(operation.claim()))
                .update();
        if (inserted == 1) {
            return operation;
        }
        Operation existing = findBySubject(operation.operation(), operation.subjectId(), operation.attempt())
                .orElseThrow(() -> new IllegalStateException("operation vanished for " + operation.subjectId()));
        return checked(existing, operation.paymentId(), operation.amountMinor());
    }

    /**
     * Takes an attempt that is sent or unknown for sending it again (an inquiry, under the same reference),
     * unless another request holds it; its row as it stands when taken.
     */
    private Optional<Operation> claim(Operation operation, String sender) {
        return jdbc.sql("""
                        UPDATE acquirer_operations
                           SET sending_by = :sender, sending_until = now() + :lease * interval '1 millisecond'
                         WHERE id = :id AND status IN ('sent', 'unknown')
                           AND (sending_until IS NULL OR sending_until < now() OR sending_by = :sender)
                        RETURNING""" + " " + COLUMNS)
                .param("id", operation.id()).param("sender", sender).param("lease", sendLeaseMillis)
                .query(ROW).optional();
    }

    private Operation reread(Operation operation) {
        return findBySubject(operation.operation(), operation.subjectId(), operation.attempt())
                .orElseThrow(() -> new IllegalStateException("operation vanished for " + operation.subjectId()));
    }

    private static String newSender() {
        return java.util.UUID.randomUUID().toString();
    }

    private static Operation checked(Operation existing, String paymentId, long amountMinor) {
        if (!existing.paymentId().equals(paymentId) || existing.amountMinor() != amountMinor) {
            throw new ApiException(409, ApiError.of(ErrorType.INVALID_REQUEST, "operation_mismatch",
                    "A " + existing.operation() + " for " + existing.subjectId() + " was already made with other values."));
        }
        return existing;
    }

    /**
     * Writes what the acquirer answered and releases the attempt. An approval or decline is the acquirer's
     * word on the reference and is written unless the attempt is final already; a failure or an unknown
     * outcome only by the request that still holds the attempt, so it can never overwrite the answer of a
     * later sender. Returns the attempt as it stands.
     */
    private Operation finish(Operation operation, AcquirerResult result, String sender) {
        return finish(operation, result, sender, true);
    }

    /** The same; with {@code release} false the attempt stays held (the first attempt's row holding its payment). */
    private Operation finish(Operation operation, AcquirerResult result, String sender, boolean release) {
        Operation finished = switch (result) {
            case AcquirerResult.Approved a -> operation.with(AttemptStatus.APPROVED, null, a.networkReference(),
                    a.authorizationCode(), a.captured());
            case AcquirerResult.Declined d -> operation.with(AttemptStatus.DECLINED, d.declineCode(), d.networkReference(),
                    null, false);
            case AcquirerResult.Failed f -> operation.with(AttemptStatus.FAILED,
                    f.sent() ? null : NOT_CALLED,
                    null, null, false);
            case AcquirerResult.Unknown u -> operation.with(AttemptStatus.UNKNOWN, null, null, null, false);
        };
        AuthResponseEvent event = new AuthResponseEvent(finished.paymentId(), finished.merchantId(), finished.operation(),
                finished.acquirer(), finished.networkReference(),
                finished.outcome(), finished.declineCode(),
                finished.amountMinor(), finished.currency(), finished.authorizationCode(), finished.captured());
        Map<String, Object> params = new HashMap<>();
        params.put("status", finished.status().column());
        params.put("decline", SqlValues.text(finished.declineCode()));
        params.put("network", SqlValues.text(finished.networkReference()));
        params.put("code", SqlValues.text(finished.authorizationCode()));
        params.put("captured", finished.captured());
        params.put("id", finished.id());
        params.put("sender", SqlValues.text(sender));
        params.put("release", release);
        boolean acquirersWord = result instanceof AcquirerResult.Approved || result instanceof AcquirerResult.Declined;
        // The outcome and its event in one statement: one round trip, both or neither.
        String sql = """
                WITH updated AS (
                    UPDATE acquirer_operations
                    SET status = :status, decline_code = :decline, network_reference = :network,
                        authorization_code = :code, captured = :captured, updated_at = now(),
                        sending_by = CASE WHEN :release THEN NULL ELSE sending_by END,
                        sending_until = CASE WHEN :release THEN NULL ELSE sending_until END
                    WHERE id = :id""" + (acquirersWord ? " AND status NOT IN ('approved', 'declined')"
                        : " AND sending_by = :sender AND status IN ('sent', 'unknown')") + " RETURNING 1), "
                + Outbox.appendAfter("updated", Topics.AUTH_RESPONSES, List.of(EventCodec.envelope(
                        finished.operation() + "." + finished.status().column(), finished.merchantId(), event,
                        traces.currentTraceparent())), params)
                + " SELECT count(*) FROM updated";
        long written = jdbc.sql(sql).params(params).query(Long.class).single();
        if (written != 1) {
            return reread(operation);
        }
        outbox.written();
        return finished;
    }

    /** The payment's approved authorization (or sale), whichever attempt and acquirer it was. */
    private Optional<Operation> approvedAuthorization(String paymentId) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM acquirer_operations
                        WHERE payment_id = :payment AND operation IN ('authorize', 'sale') AND status = 'approved'
                        ORDER BY attempt DESC LIMIT 1""")
                .param("payment", paymentId)
                .query(ROW).optional();
    }

    private List<Operation> attempts(String operation, String subjectId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM acquirer_operations WHERE operation = :operation AND subject_id = :subject"
                        + " ORDER BY attempt")
                .param("operation", operation).param("subject", subjectId)
                .query(ROW).list();
    }

    private Optional<Operation> findBySubject(String operation, String subjectId, int attempt) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM acquirer_operations"
                        + " WHERE operation = :operation AND subject_id = :subject AND attempt = :attempt")
                .param("operation", operation).param("subject", subjectId).param("attempt", attempt)
                .query(ROW).optional();
    }

    private static final String COLUMNS = """
            id, subject_id, payment_id, merchant_id, operation, acquirer, amount_minor, currency, authorization_reference,
            status, decline_code, network_reference, authorization_code, captured, attempt, claim""";

    private static final org.springframework.jdbc.core.RowMapper<Operation> ROW = (rs, n) -> new Operation(
            rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
            rs.getLong(7), rs.getString(8), rs.getString(9), AttemptStatus.ofColumn(rs.getString(10)), rs.getString(11), rs.getString(12),
            rs.getString(13), rs.getBoolean(14), rs.getInt(15), rs.getString(16));

    private static void require(String value, String param) {
        if (value == null || value.isBlank()) {
            throw ApiException.missingParameter(param);
        }
    }

    private static void requirePositive(long amountMinor) {
        if (amountMinor <= 0) {
            throw ApiException.invalidParameter("amount_minor", "amount_minor must be positive.");
        }
    }

    /** An operation as recorded. */
    record Operation(String id, String subjectId, String paymentId, String merchantId, String operation, String acquirer,
                     long amountMinor, String currency, String authorizationReference, AttemptStatus status,
                     String declineCode, String networkReference, String authorizationCode, boolean captured,
                     int attempt, String claim) {

        /** Approved or declined: the acquirer's word, which no later request changes. */
        boolean isDecided() {
            return status == AttemptStatus.APPROVED || status == AttemptStatus.DECLINED;
        }

        boolean isFinal() {
            return isDecided() || status == AttemptStatus.FAILED;
        }

        /** Failed without reaching its acquirer: nothing was sent under its reference, so it may be sent again. */
        boolean neverSent() {
            return status == AttemptStatus.FAILED && NOT_CALLED.equals(declineCode);
        }

        /** What the attempt says on its own: not sent, or its status as a caller is told it. */
        AcquirerOutcome outcome() {
            return neverSent() ? AcquirerOutcome.NOT_SENT : status.answered();
        }

        /** The decline code as callers see it: none for an attempt that never left (its marker is internal). */
        String shownDeclineCode() {
            return neverSent() ? null : declineCode;
        }

        Operation with(AttemptStatus newStatus, String decline, String network, String code, boolean wasCaptured) {
            return new Operation(id, subjectId, paymentId, merchantId, operation, acquirer, amountMinor, currency,
                    authorizationReference, newStatus, decline, network, code, wasCaptured, attempt, claim);
        }
    }

}
