package dev.nightjar.settlement.acquirer;

import dev.nightjar.common.http.PooledHttp;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchReceipt;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/**
 * Settlement's calls to acquirers, in the acquirer protocol: JSON over mutually authenticated TLS, one pooled
 * client per acquirer ({@link PooledHttp}) with hard timeouts. Both calls are safe to repeat: the acquirer
 * answers a resubmitted batch id with its first answer. Any failure is an {@link AcquirerCallException}.
 */
public final class AcquirerGateway {

    private final AcquirerProperties properties;
    private final RestClient.Builder builder;
    private final SslBundle ssl;
    private final Map<String, RestClient> clients = new ConcurrentHashMap<>();

    public AcquirerGateway(AcquirerProperties properties, RestClient.Builder builder, SslBundle ssl) {
        this.properties = properties;
        this.builder = builder;
        this.ssl = ssl;
    }

    public SettlementBatchReceipt submit(String acquirer, SettlementBatchRequest batch) {
        return call(acquirer, "the submission of " + batch.batchId(), () -> client(acquirer).post()
                .uri(AcquirerProtocol.SETTLEMENT_BATCHES).body(batch).retrieve().body(SettlementBatchReceipt.class));
    }

    public SettlementReport report(String acquirer, String batchId) {
        return call(acquirer, "the report of " + batchId, () -> client(acquirer).get()
                .uri(AcquirerProtocol.SETTLEMENT_BATCHES + "/{batchId}/report", batchId).retrieve()
                .body(SettlementReport.class));
    }

    private RestClient client(String acquirer) {
        return clients.computeIfAbsent(acquirer, name -> {
            AcquirerProperties.Acquirer settings = properties.acquirers().get(name);
            if (settings == null || settings.url() == null || settings.url().isBlank()) {
                throw new AcquirerCallException("no URL is configured for acquirer " + name
                        + " (nightjar.acquirers." + name + ".url)");
            }
            return builder.clone()
                    .baseUrl(settings.url())
                    .requestFactory(PooledHttp.requestFactory(settings.connectTimeout(), settings.settlementReadTimeout(), ssl))
                    .build();
        });
    }

    private static <T> T call(String acquirer, String what, Supplier<T> send) {
        try {
            T answer = send.get();
            if (answer == null) {
                throw new AcquirerCallException(acquirer + " answered nothing to " + what);
            }
            return answer;
        } catch (RestClientResponseException e) {
            throw new AcquirerCallException(acquirer + " answered HTTP " + e.getStatusCode().value() + " to " + what);
        } catch (RestClientException e) {
            throw new AcquirerCallException(acquirer + " could not be reached for " + what + ": " + e.getMessage());
        }
    }

    /** A call to an acquirer that did not get a usable answer; the step that made it is tried again later. */
    public static final class AcquirerCallException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public AcquirerCallException(String message) {
            super(message);
        }
    }
}
