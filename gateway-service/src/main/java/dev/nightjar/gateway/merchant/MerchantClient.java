package dev.nightjar.gateway.merchant;

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

/** A merchant's OAuth2 client: only a hash of its secret is kept; revoked, it gets no more tokens. */
@Entity
@Table(name = "merchant_clients")
public class MerchantClient extends AssignedIdEntity {

    @Id
    @Column(name = "client_id")
    private String clientId;

    @Column(name = "merchant_id", nullable = false, updatable = false)
    private String merchantId;

    @Column(name = "secret_hash", nullable = false)
    private String secretHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false)
    private List<String> scopes;

    @Generated
    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected MerchantClient() {
    }

    MerchantClient(String clientId, String merchantId, String secretHash, List<String> scopes) {
        this.clientId = clientId;
        this.merchantId = merchantId;
        this.secretHash = secretHash;
        this.scopes = List.copyOf(scopes);
    }

    @Override
    public String getId() {
        return clientId;
    }

    Merchants.Client view() {
        return new Merchants.Client(clientId, merchantId, secretHash, List.copyOf(scopes));
    }
}
