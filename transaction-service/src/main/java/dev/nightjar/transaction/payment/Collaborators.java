package dev.nightjar.transaction.payment;

import dev.nightjar.common.http.Availability;
import dev.nightjar.common.http.BusyRetry;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.RemoteCallException;
import dev.nightjar.common.lang.Causes;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.AcquirerOutcome;
import dev.nightjar.contracts.contract.AuthContract;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeRequest;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeResponse;
import dev.nightjar.contracts.contract.RiskContract;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.Refund;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * The two services a payment consults on its way: risk-service and auth-service. Every call to auth-service
 * reports to its {@link Availability}, so that while auth-service is away new work is refused at once.
 */
public final class Collaborators {

    private static final Logger log = LoggerFactory.getLogger(Collaborators.class);

    /** Why a payment was decided without risk-service: it did not answer in time, or could not answer at all. */
    static final String TIMEOUT = "timeout";
    static final String UNAVAILABLE = "unavailable";

    private final InternalClients clients;
    private final TransactionProperties properties;
    private final Availability auth;
    private final Counter riskTimedOut;
    private final Counter riskUnavailable;
    private final Counter authBusy;

    public Collaborators(InternalClients clients, TransactionProperties properties, Availability auth, MeterRegistry meters) {
        this.clients = clients;
        this.properties = properties;
        this.auth = auth;
        this.riskTimedOut = riskFallback(meters, TIMEOUT);
        this.riskUnavailable = riskFallback(meters, UNAVAILABLE);
        this.authBusy = BusyRetry.counter(meters, Identities.AUTH);
    }

    private static Counter riskFallback(MeterRegistry meters, String reason) {
        return Counter.builder("nightjar.risk.fallback").tag("reason", reason)
                .description("Payments decided by the fallback policy because risk-service did not decide")
                .register(meters);
    }

    /**
     * {@code timeout} when the answer did not come within the read timeout (or what was left of the request's
     * deadline); {@code unavailable} for everything else: no connection (refused, or not made in time), an
     * error answer, an empty one.
     */
    static String fallbackReason(Throwable failure) {
        // the outermost of them decides; a connect timeout is a SocketTimeoutException too, but no answer's
        Throwable cause = Causes.first(failure, java.net.ConnectException.class, java.net.SocketTimeoutException.class)
                .orElse(null);
        return cause instanceof java.net.SocketTimeoutException && !(cause instanceof ConnectTimeoutException)
                ? TIMEOUT : UNAVAILABLE;
    }

    /** True while auth-service counts as away (failed calls in a row): nothing that needs it should start. */
    public boolean authIsAway() {
        return auth.isAway();
    }

    /** Risk's verdict; if risk-service cannot answer, the configured fallback decides and says so. */
    public Payment.Risk assess(Payment payment) {
        try {
            // The merchant API collects no customer IP address or card country yet: risk scores without them.
            Decision decision = clients.client(Identities.RISK).post().uri(RiskContract.DECISIONS)
                    .body(new DecisionRequest(payment.id(), payment.merchantId(), payment.amountMinor(),
                            payment.currency(), payment.card(), null, null, null))
                    .retrieve().body(Decision.class);
            if (decision == null) {
                throw new ResourceAccessException("empty answer from risk-service");
            }
            return new Payment.Risk(decision.score(), decision.decision(), decision.reasons(), decision.fallbackUsed());
        } catch (RestClientException | RemoteCallException e) {
            // Unreachable, too slow (a timeout can strike while the body is read) or failing: fall back.
            log.warn("risk-service unavailable for {}, using the fallback policy: {}", payment.id(), e.getMessage());
            (TIMEOUT.equals(fallbackReason(e)) ? riskTimedOut : riskUnavailable).increment();
            boolean small = payment.amountMinor() <= properties.riskFallbackMaxAllowMinor();
            return new Payment.Risk(0, small ? RiskDecision.ALLOW : RiskDecision.REVIEW,
                    List.of(small ? "fallback_allow_small_amount" : "fallback_review_large_amount"), true);
        }
    }

    /** Asks auth-service to authorize; a timeout or unreachable service is an unknown outcome, never a guess. */
    public PaymentCommand.ApplyAuthorization authorize(Payment payment) {
        boolean capture = payment.captureMethod() == CaptureMethod.AUTOMATIC;
        try {
            AuthorizeRequest request = new AuthorizeRequest(payment.id(), payment.merchantId(), payment.token(),
                    payment.amountMinor(), payment.currency(), capture);
            AuthorizeResponse response = askAuth(AuthContract.AUTHORIZATIONS, request, AuthorizeResponse.class);
            if (response == null || response.outcome() == null) {
                return unknown();
            }
            return new PaymentCommand.ApplyAuthorization(PaymentCommand.ApplyAuthorization.Outcome.of(response.outcome()),
                    response.acquirer(), response.networkReference(),
                    response.authorizationCode(), response.declineCode(), response.captured(), Instant.now());
        } catch (RemoteCallException e) {
            if (e.isClientError()) {
                throw e;
            }
            log.warn("auth-service failed for {}: {}", payment.id(), e.getMessage());
            return unknown();
        } catch (RestClientException e) {
            // No answer, or an unreadable one: the acquirer may have acted, so the outcome is unknown.
            log.warn("auth-service did not answer for {}: {}", payment.id(), e.getMessage());
            return unknown();
        }
    }

    /** The acquirer's answer to a capture, void or refund, as the transaction service needs it. */
    public record Outcome(AcquirerOutcome outcome, String declineCode, String networkReference) {

        public boolean approved() {
            return outcome == AcquirerOutcome.APPROVED;
        }

        public boolean definitelyNothing() {
            return outcome.nothingMoved();
        }
    }

    public Outcome capture(Payment payment, long amountMinor) {
        return operation(AuthContract.CAPTURES,
                new AuthContract.CaptureRequest(payment.id(), payment.merchantId(), amountMinor, payment.currency(),
                        payment.inFlight().claim()));
    }

    public Outcome voidAuthorization(Payment payment) {
        return operation(AuthContract.VOIDS, new AuthContract.VoidRequest(payment.id(), payment.merchantId(), payment.inFlight().claim()));
    }

    public Outcome refund(Refund refund) {
        return operation(AuthContract.REFUNDS, new AuthContract.RefundRequest(refund.id(), refund.paymentId(),
                refund.merchantId(), refund.amountMinor(), refund.currency()));
    }

    /** A capture, void or refund at auth-service; no answer is an unknown outcome, never a guess. */
    private Outcome operation(String path, Object request) {
        try {
            AuthContract.OperationResponse response = askAuth(path, request, AuthContract.OperationResponse.class);
            // no answer, or one without an outcome: the acquirer may have acted, so the outcome is unknown
            return response == null || response.outcome() == null ? new Outcome(AcquirerOutcome.UNKNOWN, null, null)
                    : new Outcome(response.outcome(), response.declineCode(), response.networkReference());
        } catch (RemoteCallException e) {
            if (e.isClientError()) {
                throw e;
            }
            log.warn("auth-service failed a {}: {}", path, e.getMessage());
            return new Outcome(AcquirerOutcome.UNKNOWN, null, null);
        } catch (RestClientException e) {
            log.warn("auth-service did not answer a {}: {}", path, e.getMessage());
            return new Outcome(AcquirerOutcome.UNKNOWN, null, null);
        }
    }

    /**
     * One call to auth-service, counted by its {@link Availability}; asked again while it answers busy, as a shed
     * request did nothing ({@link BusyRetry}).
     */
    private <T> T askAuth(String path, Object request, Class<T> answer) {
        return BusyRetry.call(() -> auth.observe(() -> clients.client(Identities.AUTH).post().uri(path).body(request)
                .retrieve().body(answer)), authBusy::increment);
    }

    private static PaymentCommand.ApplyAuthorization unknown() {
        return new PaymentCommand.ApplyAuthorization(PaymentCommand.ApplyAuthorization.Outcome.UNKNOWN,
                null, null, null, null, false, Instant.now());
    }
}
