package dev.nightjar.platform.postgres;

/**
 * How fast a Patroni cluster notices a lost leader, in whole seconds (Patroni's unit).
 *
 * @param ttlSeconds          the leader lock's lifetime in etcd: a primary that stops renewing it (its machine
 *                            is gone) loses it after at most this long, and a replica is promoted
 * @param loopWaitSeconds     how often each node runs its cycle (renews the lock, checks PostgreSQL)
 * @param retryTimeoutSeconds how long etcd and PostgreSQL calls are retried before a leader demotes itself
 */
public record PatroniTimings(int ttlSeconds, int loopWaitSeconds, int retryTimeoutSeconds) {

    /**
     * Promotion about five seconds after a lost primary, on loopback. Patroni's rule
     * {@code loop_wait + 2 * retry_timeout <= ttl} holds with nothing to spare; newer Patroni releases than
     * Debian 12's 3.0.2 raise a ttl under 20 to 20.
     */
    public static final PatroniTimings LOCAL = new PatroniTimings(5, 1, 2);

    public PatroniTimings {
        if (loopWaitSeconds < 1 || retryTimeoutSeconds < 1 || loopWaitSeconds + 2 * retryTimeoutSeconds > ttlSeconds) {
            throw new IllegalArgumentException("Patroni needs loop_wait >= 1 and loop_wait + 2 * retry_timeout <= ttl; got ttl "
                    + ttlSeconds + ", loop_wait " + loopWaitSeconds + ", retry_timeout " + retryTimeoutSeconds);
        }
    }
}
