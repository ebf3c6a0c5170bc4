package dev.nightjar.gateway.webhook;

import dev.nightjar.gateway.data.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * Where a merchant wants its events, as the merchant API registers, lists and deletes it. The delivery queue
 * reads the same rows in its own statements ({@link WebhookDeliveries}): that is the per-payment path.
 */
@Entity
@Table(name = "webhook_endpoints")
public class WebhookEndpoint extends AssignedIdEntity {

    @Id
    private String id;

    @Column(name = "merchant_id", nullable = false, updatable = false)
    private String merchantId;

    @Column(nullable = false)
    private String url;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    private List<String> events;

    @Column(name = "secret_ciphertext", nullable = false)
    private byte[] secretCiphertext;

    @Generated
    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    protected WebhookEndpoint() {
    }

    WebhookEndpoint(String id, String merchantId, String url, List<String> events, byte[] secretCiphertext) {
        this.id = id;
        this.merchantId = merchantId;
        this.url = url;
        this.events = List.copyOf(events);
        this.secretCiphertext = secretCiphertext.clone();
    }

    @Override
    public String getId() {
        return id;
    }

    WebhookEndpoints.Endpoint view() {
        return new WebhookEndpoints.Endpoint(id, url, List.copyOf(events), createdAt);
    }
}
