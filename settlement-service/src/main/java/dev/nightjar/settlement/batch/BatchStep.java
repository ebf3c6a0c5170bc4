package dev.nightjar.settlement.batch;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The persisted steps of a settlement batch, in order. Each step is committed together with what it
 * produced, so a batch interrupted anywhere resumes at its step and does nothing twice.
 */
public enum BatchStep {
    /** Items gathered at the cut-off. */
    CREATED,
    /** The acquirer took the batch (it answers a resubmission the same). */
    SUBMITTED,
    /** The acquirer's report is stored, one row per line. */
    REPORTED,
    /** One reconciliation row per item or report line is stored. */
    RECONCILED,
    /** The settlement events are in the outbox. */
    POSTED,
    /** The settlement events have left the outbox for Kafka. */
    DONE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BatchStep of(String wireName) {
        for (BatchStep step : values()) {
            if (step.wireName().equals(wireName)) {
                return step;
            }
        }
        throw new IllegalArgumentException("unknown batch step: " + wireName);
    }

    /** The step after this one; there is none after {@link #DONE}. */
    public BatchStep next() {
        if (this == DONE) {
            throw new IllegalStateException("a done batch has no next step");
        }
        return values()[ordinal() + 1];
    }
}
