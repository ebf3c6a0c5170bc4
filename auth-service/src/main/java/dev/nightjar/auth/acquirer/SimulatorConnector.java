package dev.nightjar.auth.acquirer;

import dev.nightjar.common.http.ConnectionWarmUp;
import dev.nightjar.common.http.NoHandshakeTurn;
import dev.nightjar.common.http.PooledHttp;
import dev.nightjar.common.http.TemplateUris;
import dev.nightjar.common.lang.Causes;
import dev.nightjar.common.observability.UnrecordedCalls;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.VoidRequest;
import dev.nightjar.contracts.contract.NetworkAnswer;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * The connector for Nightjar's acquirer protocol (spoken by the acquirer simulator): JSON over mutually
 * authenticated TLS, one pooled keep-alive client per acquirer ({@link PooledHttp}), a hard read timeout.
 * Answers are classified the same way for every operation: an answer is approved or declined; an error
 * answer or a connection never made is a certain failure (retried a few times first, which the acquirer's
 * deduplication makes safe); no answer at all is unknown.
 */
public final class SimulatorConnector implements AcquirerConnector {

    private final String name;
    private final UnrecordedCalls.Clients clients;
    private final int errorRetries;
    private final int warmUpConnections;

    public SimulatorConnector(String name, AcquirerProperties.Acquirer settings, RestClient.Builder builder, SslBundle ssl) {
        this(name, settings, builder, ssl, null);
    }

    /**
     * With {@code unrecorded}, a call made inside a trace that is not recorded goes through a second client over the
     * same connections, without an observation ({@link UnrecordedCalls}); with it null, every call is observed.
     */
    public SimulatorConnector(String name, AcquirerProperties.Acquirer settings, RestClient.Builder builder, SslBundle ssl,
                              UnrecordedCalls unrecorded) {
        this.name = name;
        this.errorRetries = settings.errorRetries();
        this.warmUpConnections = settings.warmUpConnections();
        this.clients = UnrecordedCalls.clients(unrecorded, builder.clone().uriBuilderFactory(new TemplateUris(settings.url())),
                PooledHttp.requestFactory(settings.connectTimeout(), settings.readTimeout(), ssl));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Optional<ConnectionWarmUp.Target> warmUp() {
        return warmUpConnections > 0 ? Optional.of(new ConnectionWarmUp.Target(clients.observed(), warmUpConnections)) : Optional.empty();
    }

    @Override
    public AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card,
                                    boolean capture) {
        AuthorizationRequest request = new AuthorizationRequest(reference, merchantId, amountMinor, currency,
                card.number(), card.expMonth(), card.expYear(), card.cvc(), capture);
        return call(() -> clients.client().post().uri(AcquirerProtocol.AUTHORIZATIONS).body(request).retrieve()
                .body(AuthorizationResponse.class), response -> response.outcome() == NetworkAnswer.APPROVED
                ? new AcquirerResult.Approved(response.networkReference(), response.authorizationCode(), response.captured())
                : new AcquirerResult.Declined(response.networkReference(), response.declineCode()));
    }

    @Override
    public AcquirerResult capture(String reference, String authorization, long amountMinor, String currency) {
        return operation(AcquirerProtocol.CAPTURES, new CaptureRequest(reference, authorization, amountMinor, currency), true);
    }

    @Override
    public AcquirerResult voidAuthorization(String reference, String authorization) {
        return operation(AcquirerProtocol.VOIDS, new VoidRequest(reference, authorization), false);
    }

    @Override
    public AcquirerResult refund(String reference, String authorization, long amountMinor, String currency) {
        return operation(AcquirerProtocol.REFUNDS, new RefundRequest(reference, authorization, amountMinor, currency), false);
    }

    private AcquirerResult operation(String path, Object request, boolean captures) {
        return call(() -> clients.client().post().uri(path).body(request).retrieve().body(OperationResponse.class),
                response -> response.outcome() == NetworkAnswer.APPROVED
                        ? new AcquirerResult.Approved(response.networkReference(), null, captures)
                        : new AcquirerResult.Declined(response.networkReference(), response.declineCode()));
    }

    private <T> AcquirerResult call(Supplier<T> send, Function<T, AcquirerResult> read) {
        int attempt = 0;
        while (true) {
            try {
                T response = send.get();
                return response == null ? new AcquirerResult.Unknown("empty answer") : read.apply(response);
            } catch (RestClientResponseException e) {
                if (e.getStatusCode().is5xxServerError() && attempt < errorRetries) {
                    attempt++;
                    continue;
                }
                // A definite error answer: the acquirer did nothing.
                return new AcquirerResult.Failed("acquirer answered HTTP " + e.getStatusCode().value());
            } catch (ResourceAccessException e) {
                var noTurn = NoHandshakeTurn.in(e);
                if (noTurn.isPresent()) {
                    // this service's own handshakes with the acquirer took the wait: nothing was sent, and the
                    // acquirer's health is unknown (its breaker is not told); another acquirer may be tried
                    return AcquirerResult.Failed.notTried(noTurn.get().getMessage());
                }
                if (isConnectFailure(e)) {
                    // The request never left: retrying is safe, and if it never gets through nothing moved.
                    if (attempt < errorRetries) {
                        attempt++;
                        continue;
                    }
                    return AcquirerResult.Failed.unreachable();
                }
                // Sent, but no answer (timeout or a broken connection): the acquirer may have acted on it.
                return new AcquirerResult.Unknown(isTimeout(e) ? "acquirer timed out" : "connection to the acquirer broke");
            } catch (RestClientException e) {
                // An answer we could not read: it may have been an approval.
                return new AcquirerResult.Unknown("unreadable answer from the acquirer");
            }
        }
    }

    private static boolean isTimeout(Throwable e) {
        return Causes.any(e, java.net.SocketTimeoutException.class);
    }

    private static boolean isConnectFailure(Throwable e) {
        return Causes.any(e, java.net.ConnectException.class, org.apache.hc.client5.http.ConnectTimeoutException.class,
                org.apache.hc.client5.http.HttpHostConnectException.class);
    }
}
