package dev.nightjar.auth.authorization;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.auth.acquirer.AcquirerResult;
import dev.nightjar.common.contract.AuthContract;
import dev.nightjar.common.contract.AuthContract.AuthorizeRequest;
import dev.nightjar.common.contract.AuthContract.AuthorizeResponse;
import dev.nightjar.common.contract.VaultContract;
import dev.nightjar.common.contract.VaultContract.DetokenizeRequest;
import dev.nightjar.common.contract.VaultContract.DetokenizeResponse;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.event.AuthResponseEvent;
import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.Topics;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.RemoteCallException;
import dev.nightjar.common.id.Ids;
import dev.nightjar.common.observability.TraceContexts;
import dev.nightjar.common.outbox.Outbox;
import dev.nightjar.common.security.Identities;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.client.ResourceAccessException;

/**
 * Authorizes a payment at its acquirer, at most once per payment and operation. The attempt is recorded
 * before the acquirer is called, so a repeated request (a retry, a crash and replay) re-sends the same
 * reference, which the acquirer deduplicates: the card is never charged twice.
 */
public final class AuthorizationService {

    private final JdbcClient jdbc;
    private final InternalClients clients;
    private final AcquirerRouter router;
    private final TraceContexts traces;

    public AuthorizationService(JdbcClient jdbc, InternalClients clients,
                                AcquirerRouter router, TraceContexts traces) {
        this.jdbc = jdbc;
        this.clients = clients;
        this.router = router;
        this.traces = traces;
    }

    public AuthorizeResponse authorize(AuthorizeRequest request) {
        validate(request);
        String operation = request.capture() ? "sale" : "authorize";
        AcquirerConnector acquirer = router.route(request);
        Attempt attempt = begin(request, operation, acquirer.name());
        if (attempt.isFinal()) {
            return attempt.toResponse();
        }
        AcquirerConnector.Card card;
        try {
            card = card(request);
        } catch (RemoteCallException | ResourceAccessException e) {
            // Nothing reached the acquirer: the attempt fails for certain.
            return finish(attempt, new AcquirerResult.Failed("vault: " + e.getMessage()), request);
        }
        AcquirerResult result = acquirer.authorize(attempt.id(), request.merchantId(), request.amountMinor(),
                request.currency(), card, request.capture());
        return finish(attempt, result, request);
    }

    private AcquirerConnector.Card card(AuthorizeRequest request) {
        DetokenizeResponse card = clients.client(Identities.VAULT).post()
                .uri(VaultContract.DETOKENIZE, request.token())
                .body(new DetokenizeRequest(request.merchantId(), request.paymentId()))
                .retrieve()
                .body(DetokenizeResponse.class);
        if (card == null) {
            throw new ResourceAccessException("empty answer from the vault");
        }
        return new AcquirerConnector.Card(card.number(), card.expMonth(), card.expYear(), card.cvc());
    }

    /** Records the attempt, or finds the one already recorded for this payment and operation. */
    private Attempt begin(AuthorizeRequest request, String operation, String acquirer) {
        String reference = Ids.newId(Ids.AUTHORIZATION);
        int inserted = jdbc.sql("""
                        INSERT INTO authorization_attempts (id, payment_id, merchant_id, operation, acquirer, amount_minor, currency, status)
                        VALUES (:id, :payment, :merchant, :operation, :acquirer, :amount, :currency, 'sent')
                        ON CONFLICT (payment_id, operation) DO NOTHING""")
                .param("id", reference).param("payment", request.paymentId()).param("merchant", request.merchantId())
                .param("operation", operation).param("acquirer", acquirer).param("amount", request.amountMinor())
                .param("currency", request.currency())
                .update();
        if (inserted == 1) {
            return new Attempt(reference, acquirer, "sent", null, null, null, false);
        }
        Attempt existing = find(request.paymentId(), operation)
                .orElseThrow(() -> new IllegalStateException("attempt vanished for " + request.paymentId()));
        if (!existing.acquirer().equals(acquirer) && !existing.isFinal()) {
            throw ApiException.unavailable("payment " + request.paymentId() + " has an open attempt at " + existing.acquirer());
        }
        return existing;
    }

    private Optional<Attempt> find(String paymentId, String operation) {
        return jdbc.sql("""
                        SELECT id, acquirer, status, decline_code, network_reference, authorization_code, captured
                        FROM authorization_attempts WHERE payment_id = :payment AND operation = :operation""")
                .param("payment", paymentId).param("operation", operation)
                .query((rs, n) -> new Attempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getBoolean(7)))
                .optional();
    }

    private AuthorizeResponse finish(Attempt attempt, AcquirerResult result, AuthorizeRequest request) {
        Attempt finished = switch (result) {
            case AcquirerResult.Approved a -> attempt.with(AuthContract.APPROVED, null, a.networkReference(),
                    a.authorizationCode(), a.captured());
            case AcquirerResult.Declined d -> attempt.with(AuthContract.DECLINED, d.declineCode(), d.networkReference(),
                    null, false);
            case AcquirerResult.Failed f -> attempt.with(AuthContract.FAILED, null, null, null, false);
            case AcquirerResult.Unknown u -> attempt.with(AuthContract.UNKNOWN, null, null, null, false);
        };
        AuthResponseEvent event = new AuthResponseEvent(request.paymentId(), request.merchantId(),
                request.capture() ? "sale" : "authorize", finished.acquirer(), finished.networkReference(),
                finished.status(), finished.declineCode(), request.amountMinor(), request.currency());
        Map<String, Object> params = new HashMap<>();
        params.put("status", finished.status());
        params.put("decline", finished.declineCode());
        params.put("network", finished.networkReference());
        params.put("code", finished.authorizationCode());
        params.put("captured", finished.captured());
        params.put("id", finished.id());
        // The outcome and its event in one statement: one round trip, both or neither.
        String sql = """
                WITH updated AS (
                    UPDATE authorization_attempts
                    SET status = :status, decline_code = :decline, network_reference = :network,
                        authorization_code = :code, captured = :captured, updated_at = now()
                    WHERE id = :id RETURNING 1), """
                + Outbox.appendAfter("updated", Topics.AUTH_RESPONSES, List.of(EventCodec.envelope(
                        "authorization." + finished.status(), request.merchantId(), event, traces.currentTraceparent())), params)
                + " SELECT count(*) FROM updated";
        jdbc.sql(sql).params(params).query(Long.class).single();
        return finished.toResponse();
    }

    private static void validate(AuthorizeRequest request) {
        if (request.paymentId() == null || request.merchantId() == null || request.token() == null) {
            throw ApiException.missingParameter(request.paymentId() == null ? "payment_id"
                    : request.merchantId() == null ? "merchant_id" : "token");
        }
        if (request.amountMinor() <= 0) {
            throw ApiException.invalidParameter("amount_minor", "amount_minor must be positive.");
        }
    }

    /** An attempt as recorded. */
    record Attempt(String id, String acquirer, String status, String declineCode, String networkReference,
                   String authorizationCode, boolean captured) {

        boolean isFinal() {
            return AuthContract.APPROVED.equals(status) || AuthContract.DECLINED.equals(status)
                    || AuthContract.FAILED.equals(status);
        }

        Attempt with(String newStatus, String decline, String network, String code, boolean wasCaptured) {
            return new Attempt(id, acquirer, newStatus, decline, network, code, wasCaptured);
        }

        AuthorizeResponse toResponse() {
            return new AuthorizeResponse(status, declineCode, acquirer, networkReference, authorizationCode, captured);
        }
    }
}
