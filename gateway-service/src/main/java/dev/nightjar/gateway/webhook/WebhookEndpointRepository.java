package dev.nightjar.gateway.webhook;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Merchants' webhook endpoints; {@link WebhookEndpoints} is the way in. */
public interface WebhookEndpointRepository extends JpaRepository<WebhookEndpoint, String> {

    /** Locks the merchant's row: two registrations at once cannot both pass the per-merchant limit. */
    @Query(value = "SELECT id FROM merchants WHERE id = :merchantId FOR UPDATE", nativeQuery = true)
    Optional<String> lockMerchant(String merchantId);

    long countByMerchantIdAndDeletedAtIsNull(String merchantId);

    List<WebhookEndpoint> findByMerchantIdAndDeletedAtIsNullOrderByIdDesc(String merchantId);

    /** Marks the endpoint deleted (deliveries already recorded keep it); 1 when there was one to delete. */
    @Modifying
    @Transactional
    @Query("""
            UPDATE WebhookEndpoint e SET e.deletedAt = INSTANT
            WHERE e.id = :id AND e.merchantId = :merchantId AND e.deletedAt IS NULL""")
    int markDeleted(String id, String merchantId);
}
