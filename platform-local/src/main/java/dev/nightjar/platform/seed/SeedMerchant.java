package dev.nightjar.platform.seed;

/**
 * A merchant of the seeded history: its id, the currency it sells in, the acquirer most of its payments go
 * to and the shard its rows live on (transaction and ledger alike).
 */
public record SeedMerchant(int index, String id, String currency, String acquirer, int shard) {
}
