package dev.nightjar.acquirer;

import dev.nightjar.contracts.contract.NetworkAnswer;
import java.time.Instant;

/**
 * What the simulated network did for one request: the evidence that a card was (or was not) charged.
 * {@code authorization} names the authorization a capture, void or refund acted on.
 */
public record NetworkRecord(
        String reference,
        String networkReference,
        String acquirer,
        String operation,
        String merchantId,
        long amountMinor,
        String currency,
        String cardLast4,
        NetworkAnswer outcome,
        String declineCode,
        boolean captured,
        String authorization,
        Instant at) {

    public NetworkRecord {
        // A few values repeated by every record: one copy each, not one per record read from JSON (a network
        // keeps up to a million records, and replays them all at start).
        acquirer = intern(acquirer);
        operation = intern(operation);
        currency = intern(currency);
        declineCode = intern(declineCode);
    }

    private static String intern(String value) {
        return value == null ? null : value.intern();
    }
}
