package dev.nightjar.auth.acquirer;

import dev.nightjar.common.contract.AcquirerProtocol;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationResponse;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.Executors;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * The connector for Nightjar's acquirer protocol (spoken by the acquirer simulator): JSON over mutually
 * authenticated TLS, one pooled keep-alive client per acquirer, a hard read timeout.
 */
public final class SimulatorConnector implements AcquirerConnector {

    private final String name;
    private final RestClient client;
    private final int errorRetries;

    public SimulatorConnector(String name, AcquirerProperties.Acquirer settings, RestClient.Builder builder, SslBundle ssl) {
        this.name = name;
        this.errorRetries = settings.errorRetries();
        HttpClientSettings http = HttpClientSettings.defaults()
                .withTimeouts(settings.connectTimeout(), settings.readTimeout());
        if (ssl != null) {
            http = http.withSslBundle(ssl);
        }
        this.client = builder.clone()
                .baseUrl(settings.url())
                .requestFactory(ClientHttpRequestFactoryBuilder.jdk()
                        .withHttpClientCustomizer(c -> c.version(HttpClient.Version.HTTP_1_1))
                        .withExecutor(Executors.newVirtualThreadPerTaskExecutor())
                        .build(http))
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
            if (cause instanceof HttpTimeoutException || cause instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException || cause instanceof java.net.http.HttpConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
