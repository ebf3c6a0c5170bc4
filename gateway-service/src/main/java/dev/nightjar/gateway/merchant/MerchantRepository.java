package dev.nightjar.gateway.merchant;

import org.springframework.data.jpa.repository.JpaRepository;

/** Merchants by id; {@link Merchants} is the way in for everything else. */
public interface MerchantRepository extends JpaRepository<Merchant, String> {
}
