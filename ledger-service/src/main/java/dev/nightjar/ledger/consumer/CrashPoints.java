package dev.nightjar.ledger.consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for the crash-window tests: when {@code nightjar.ledger.crash-at} names a point, the
 * process halts there at once (no shutdown hooks, no flushing: as if killed with SIGKILL). Unset in every
 * real deployment, where {@link #reached} does nothing.
 */
public final class CrashPoints {

    /** Inside the shard's database transaction, after the entries are written, before it commits. */
    public static final String BEFORE_DATABASE_COMMIT = "before-database-commit";
    /** After every shard's database transaction committed, before anything is published. */
    public static final String AFTER_DATABASE_COMMIT = "after-database-commit";
    /** After the entries were sent in the Kafka transaction, before it commits with the offsets. */
    public static final String BEFORE_KAFKA_COMMIT = "before-kafka-commit";
    /** The exit status of a halt here, so a test can tell it from any other death. */
    public static final int EXIT_STATUS = 86;

    private static final Logger log = LoggerFactory.getLogger(CrashPoints.class);

    private final String armed;

    public CrashPoints(String armed) {
        this.armed = armed == null || armed.isBlank() ? null : armed;
        if (this.armed != null) {
            log.warn("crash point armed: the process halts at {}", this.armed);
        }
    }

    public void reached(String point) {
        if (point.equals(armed)) {
            log.warn("halting at crash point {}", point);
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
