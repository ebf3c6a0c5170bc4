package dev.nightjar.auth.acquirer;

import dev.nightjar.common.contract.AcquirerProtocol;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.common.http.PooledHttp;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The connector for Nightjar's acquirer protocol (spoken by the acquirer simulator): JSON over mutually
 * authenticated TLS, one pooled keep-alive client per acquirer ({@link PooledHttp}), a hard read timeout.
 */
public final class SimulatorConnector implements AcquirerConnector {

    private final String name;
    private final RestClient client;
    private final int errorRetries;

    public SimulatorConnector(String name, AcquirerProperties.Acquirer settings, RestClient.Builder builder, SslBundle ssl) {
        this.name = name;
        this.errorRetries = settings.errorRetries();
        this.client = builder.clone()
                .baseUrl(settings.url())
                .requestFactory(PooledHttp.requestFactory(settings.connectTimeout(), settings.readTimeout(), ssl))
                .build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card,
                                    boolean capture) {
        AuthorizationRequest request = new AuthorizationRequest(reference, merchantId, amountMinor, currency,
                card.number(), card.expMonth(), card.expYear(), card.cvc(), capture);
        int attempt = 0;
        while (true) {
            try {
                AuthorizationResponse response = client.post().uri(AcquirerProtocol.AUTHORIZATIONS).body(request)
                        .retrieve().body(AuthorizationResponse.class);
                if (response == null) {
                    return new AcquirerResult.Unknown("empty answer");
                }
                if ("approved".equals(response.outcome())) {
                    return new AcquirerResult.Approved(response.networkReference(), response.authorizationCode(),
                            response.captured());
                }
                return new AcquirerResult.Declined(response.networkReference(), response.declineCode());
            } catch (RestClientResponseException e) {
                HttpStatusCode status = e.getStatusCode();
                if (status.is5xxServerError() && attempt < errorRetries) {
                    attempt++;
                    continue;
                }
                // A definite error answer: the acquirer processed nothing.
                return new AcquirerResult.Failed("acquirer answered HTTP " + status.value());
            } catch (ResourceAccessException e) {
                if (isConnectFailure(e)) {
                    // The request never left: retrying is safe, and if it never gets through nothing is held.
                    if (attempt < errorRetries) {
                        attempt++;
                        continue;
                    }
                    return new AcquirerResult.Failed("acquirer unreachable");
                }
                // Sent, but no answer (timeout or a broken connection): the acquirer may have acted on it.
                return new AcquirerResult.Unknown(isTimeout(e) ? "acquirer timed out" : "connection to the acquirer broke");
            }
        }
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException
                    || cause instanceof org.apache.hc.client5.http.ConnectTimeoutException
                    || cause instanceof org.apache.hc.client5.http.HttpHostConnectException) {
                return true;
            }
        }
        return false;
    }
}
