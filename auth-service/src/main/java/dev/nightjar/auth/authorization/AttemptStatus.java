package dev.nightjar.auth.authorization;

import dev.nightjar.contracts.contract.AcquirerOutcome;
import java.util.Locale;

/** Where one attempt at an acquirer stands, as {@code acquirer_operations.status} records it. */
enum AttemptStatus {
    /** Recorded and being sent (or about to be) by the request holding it. */
    SENT,
    APPROVED,
    DECLINED,
    /** Failed for certain, or never reached its acquirer (decline code {@code not_called}): nothing moved. */
    FAILED,
    /** Sent, and its outcome not learnt: the acquirer may have acted. */
    UNKNOWN;

    /** The value of the status column. */
    String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    static AttemptStatus ofColumn(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }

    /** What a caller is told of an attempt in this status: one still being sent is, to it, of unknown outcome. */
    AcquirerOutcome answered() {
        return switch (this) {
            case APPROVED -> AcquirerOutcome.APPROVED;
            case DECLINED -> AcquirerOutcome.DECLINED;
            case FAILED -> AcquirerOutcome.FAILED;
            case SENT, UNKNOWN -> AcquirerOutcome.UNKNOWN;
        };
    }
}
