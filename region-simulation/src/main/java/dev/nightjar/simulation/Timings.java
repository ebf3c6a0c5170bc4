package dev.nightjar.simulation;

/**
 * The protocol's figures in simulated milliseconds: the numbers docs/multi-region.md states, kept in one place so
 * the model and the design document say the same thing.
 */
final class Timings {

    /** A region's write lease, counted by the region from the moment it asked for it. */
    static final long LEASE_TTL_MILLIS = 10_000;
    static final long LEASE_RENEW_EVERY_MILLIS = 2_000;
    /**
     * How long the witness waits, after a region's lease lapsed on its own clock, before it moves that region's
     * merchants: the confirmation a region is gone, and the fence for acquirer calls the region began before its
     * lease ran out (each ends within {@link #MAX_MESSAGE_DELAY_MILLIS}).
     */
    static final long FENCE_MARGIN_MILLIS = 20_000;
    static final long WITNESS_CHECK_EVERY_MILLIS = 1_000;
    /** How long promoting a standby cluster takes before it accepts writes: the design target is under 10 s. */
    static final long PROMOTION_MIN_MILLIS = 2_000;
    static final long PROMOTION_MAX_MILLIS = 10_000;
    /** What a region loss may cost the standby while the link between the regions is up: async WAL lag. */
    static final long RPO_BOUND_MILLIS = 5_000;
    /** Health checks on each region's {@code /healthz}: every 10 s, three failures in a row to leave the answers. */
    static final long DNS_PROBE_EVERY_MILLIS = 10_000;
    static final int DNS_THRESHOLD = 3;
    static final long DNS_TTL_MILLIS = 30_000;
    /** A region waits this long for the home region's answer to a forwarded payment before refusing it. */
    static final long FORWARD_TIMEOUT_MILLIS = 2_000;
    static final long CLIENT_TIMEOUT_MILLIS = 5_000;
    static final long CLIENT_RETRY_MIN_MILLIS = 500;
    static final long CLIENT_RETRY_MAX_MILLIS = 3_000;
    static final long CLIENT_GIVES_UP_AFTER_MILLIS = 180_000;
    /** The recovery path: every second, ask again about what waits for the acquirer for over 2 s, 16 at a time. */
    static final long RECOVERY_EVERY_MILLIS = 1_000;
    static final long RECOVERY_AFTER_MILLIS = 2_000;
    static final int RECOVERY_BATCH = 16;
    /** Every message arrives within this long of being sent, or never: a call's lifetime is bounded by its timeout. */
    static final long MAX_MESSAGE_DELAY_MILLIS = 1_000;
    /** Reconciliation asks the acquirer from this long before the standby's last replayed commit (clock differences). */
    static final long RECONCILIATION_MARGIN_MILLIS = 1_000;
    static final int WAL_BATCH_RECORDS = 64;
    /** A primary sends its standby a batch at least this often, so a standby that rewound reports where it is. */
    static final long WAL_HEARTBEAT_MILLIS = 1_000;
    static final long PROCESS_RESTART_MIN_MILLIS = 1_000;
    static final long PROCESS_RESTART_MAX_MILLIS = 5_000;
    static final int FEE_BASIS_POINTS = 140;

    /** New payments arrive until here; clients go on retrying theirs after it. */
    static final long TRAFFIC_END_MILLIS = 150_000;
    /** Every fault is over by here, and no message is lost, duplicated or slow after it. */
    static final long FAULTS_END_MILLIS = 260_000;
    /** The run ends here and the invariants are checked. */
    static final long END_MILLIS = 360_000;
    /** A bound on the run itself: a run that needs more events than this is a finding, not a hang. */
    static final long MAX_EVENTS = 2_000_000;

    private Timings() {
    }
}
