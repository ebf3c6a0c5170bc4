package dev.nightjar.gateway.merchant;

import jakarta.persistence.EnumeratedValue;

/** Whether a merchant's clients may get tokens; the wire string is what the database keeps. */
enum MerchantStatus {
    ACTIVE("active"),
    DISABLED("disabled");

    @EnumeratedValue
    final String wire;

    MerchantStatus(String wire) {
        this.wire = wire;
    }
}
