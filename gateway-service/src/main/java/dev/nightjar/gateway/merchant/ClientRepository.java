package dev.nightjar.gateway.merchant;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

/** Merchants' OAuth2 clients; {@link Merchants} is the way in for everything else. */
public interface ClientRepository extends JpaRepository<MerchantClient, String> {

    /** The client, unless it is revoked or its merchant is not active: one query, as the token endpoint asks. */
    @Query("""
            SELECT c FROM MerchantClient c JOIN Merchant m ON m.id = c.merchantId
            WHERE c.clientId = :clientId AND c.revokedAt IS NULL AND m.status = dev.nightjar.gateway.merchant.MerchantStatus.ACTIVE""")
    Optional<MerchantClient> findActive(String clientId);
}
