package dev.nightjar.contracts.contract;

/**
 * What may be known about a card outside the vault: brand, BIN (first six), last four, expiry and the
 * per-merchant fingerprint. Never the number.
 */
public record CardDetails(String brand, String bin, String last4, int expMonth, int expYear, String fingerprint) {
}
