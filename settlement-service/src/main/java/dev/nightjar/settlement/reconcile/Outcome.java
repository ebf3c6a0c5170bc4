package dev.nightjar.settlement.reconcile;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What reconciliation found for one movement of a batch: agreement, or the kind of exception. */
public enum Outcome {
    /** Same reference, same signed amount, the fee the contract gives. */
    MATCHED,
    /** Nightjar's ledger booked it; the acquirer's report does not have it. */
    MISSING_AT_ACQUIRER,
    /** The acquirer's report has it; the batch does not. */
    MISSING_IN_NIGHTJAR,
    /** Both have it, for different amounts. */
    AMOUNT_MISMATCH,
    /** Both have it for the same amount, but the acquirer charged another fee than the contract's. */
    FEE_MISMATCH;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome of(String wireName) {
        for (Outcome outcome : values()) {
            if (outcome.wireName().equals(wireName)) {
                return outcome;
            }
        }
        throw new IllegalArgumentException("unknown reconciliation outcome: " + wireName);
    }

    /** The acquirer settled this movement (it is in its report and in the batch). */
    public boolean cleared() {
        return this == MATCHED || this == AMOUNT_MISMATCH || this == FEE_MISMATCH;
    }

    /** The acquirer's report has a line for it. */
    public boolean reported() {
        return this != MISSING_AT_ACQUIRER;
    }
}
