package dev.nightjar.gateway.merchant;

import dev.nightjar.gateway.data.AssignedIdEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.Generated;

/**
 * A merchant, as the operator API keeps it. The rate limit columns of its row are not mapped: they belong to
 * {@link dev.nightjar.gateway.limit.RateLimits}, which reads them for the payment path with one statement.
 */
@Entity
@Table(name = "merchants")
public class Merchant extends AssignedIdEntity {

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private MerchantStatus status;

    @Generated
    @Column(name = "created_at", updatable = false)
    private Instant createdAt;

    protected Merchant() {
    }

    Merchant(String id, String name) {
        this.id = id;
        this.name = name;
        this.status = MerchantStatus.ACTIVE;
    }

    @Override
    public String getId() {
        return id;
    }

    Merchants.Merchant view() {
        return new Merchants.Merchant(id, name, status.wire);
    }
}
