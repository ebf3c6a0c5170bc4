package dev.nightjar.gateway.webhook;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.id.Ids;
import java.time.Instant;
import java.util.List;
import org.springframework.transaction.support.TransactionTemplate;

/** A merchant's webhook endpoints, in the gateway's database. */
public final class WebhookEndpoints {

    private final WebhookEndpointRepository endpoints;
    private final TransactionTemplate transactions;
    private final WebhookSecrets secrets;
    private final int maxPerMerchant;

    public WebhookEndpoints(WebhookEndpointRepository endpoints, TransactionTemplate transactions, WebhookSecrets secrets,
                            int maxPerMerchant) {
        this.endpoints = endpoints;
        this.transactions = transactions;
        this.secrets = secrets;
        this.maxPerMerchant = maxPerMerchant;
    }

    public record Endpoint(String id, String url, List<String> events, Instant created) {
    }

    /** A new endpoint and its secret, which is never shown again. */
    public record Created(Endpoint endpoint, String secret) {
    }

    public Created create(String merchantId, String url, List<String> events) {
        String id = Ids.newId(Ids.WEBHOOK_ENDPOINT);
        String secret = WebhookSecrets.newSecret();
        byte[] sealed = secrets.seal(id, secret);
        return transactions.execute(status -> {
            // the merchant row is the lock that keeps two concurrent creations from both passing the limit
            endpoints.lockMerchant(merchantId);
            if (endpoints.countByMerchantIdAndDeletedAtIsNull(merchantId) >= maxPerMerchant) {
                throw ApiException.invalidParameter("url", "A merchant may have at most " + maxPerMerchant
                        + " webhook endpoints; delete one first.");
            }
            // flushed now: the database's created_at comes back for the answer
            WebhookEndpoint endpoint = endpoints.saveAndFlush(new WebhookEndpoint(id, merchantId, url, events, sealed));
            return new Created(endpoint.view(), secret);
        });
    }

    public List<Endpoint> list(String merchantId) {
        return endpoints.findByMerchantIdAndDeletedAtIsNullOrderByIdDesc(merchantId).stream()
                .map(WebhookEndpoint::view).toList();
    }

    /** Deletes (marks deleted: deliveries already recorded keep their endpoint); false when there is none. */
    public boolean delete(String merchantId, String id) {
        return endpoints.markDeleted(id, merchantId) == 1;
    }

    public String secret(String endpointId, byte[] sealed) {
        return secrets.open(endpointId, sealed);
    }
}
