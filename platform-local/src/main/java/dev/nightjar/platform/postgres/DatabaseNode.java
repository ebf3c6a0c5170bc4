package dev.nightjar.platform.postgres;

import java.util.Optional;

/**
 * One PostgreSQL server of a cluster as seen at one moment.
 *
 * @param name       the node's name (Patroni's member name; {@code postgresql} for the single server)
 * @param port       its PostgreSQL port
 * @param postmaster its running postmaster, if any
 * @param patroni    its running Patroni process, if any (always empty for the single server)
 * @param role       {@link #LEADER}, {@link #SYNC_STANDBY}, {@link #REPLICA}, {@link #STOPPED} or
 *                   {@link #UNKNOWN} (running, but not (yet) registered in the cluster)
 * @param state      what the server is doing: {@code running}, {@code stopped}, Patroni's word for it
 *                   ({@code starting}, {@code creating replica}, {@code restarting after failure}, ...), or
 *                   {@code unregistered} (Patroni runs but its cluster does not list it: just started, or etcd
 *                   is unreachable)
 */
public record DatabaseNode(String name, int port, Optional<ProcessHandle> postmaster, Optional<ProcessHandle> patroni,
                           String role, String state) {

    public static final String LEADER = "leader";
    public static final String SYNC_STANDBY = "sync_standby";
    public static final String REPLICA = "replica";
    public static final String STOPPED = "stopped";
    public static final String UNKNOWN = "unknown";
    public static final String RUNNING = "running";

    /** Serving: running, with a role in its cluster. */
    public boolean isHealthy() {
        return RUNNING.equals(state) && (LEADER.equals(role) || SYNC_STANDBY.equals(role) || REPLICA.equals(role));
    }
}
