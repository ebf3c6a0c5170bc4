package dev.nightjar.platform.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The local platform's PostgreSQL, whatever its shape: one server ({@link LocalPostgres}) or Patroni
 * clusters with etcd ({@link PatroniPostgres}). The platform, its tools and the chaos tool start, stop,
 * inspect and break it through this interface alone.
 */
public interface PlatformDatabase {

    /**
     * Starts whatever is not running (after clearing what a killed process left behind) and returns once
     * every cluster has a writable primary. Idempotent: what runs is not touched.
     */
    void start();

    /** Stops every server gracefully, forcibly after {@code timeout}; the data stays. */
    void stop(Duration timeout);

    /** Whether any part of it runs. */
    boolean isRunning();

    /** The JDBC URL services use for {@code database}: it always reaches the current primary. */
    String jdbcUrl(String database);

    /** A superuser connection to {@code database} on the primary of the cluster that holds it. */
    Connection connect(String database) throws SQLException;

    /** Creates a login role with this password, or resets the password of an existing one, on every cluster. */
    void ensureRole(String role, String password);

    /**
     * Creates the database owned by {@code owner} unless it exists, and lets {@code appRole} connect and use
     * the public schema; table privileges are granted by the owning service's migrations.
     */
    void ensureDatabase(String database, String owner, String appRole);

    /** Every cluster with its nodes as they are now (roles are read live, so a failover shows at once). */
    List<DatabaseCluster> clusters();

    /** The etcd the clusters keep their leader locks in; none for the single server. */
    default Optional<LocalEtcd> etcd() {
        return Optional.empty();
    }

    /** SIGKILLs the node as a lost machine would die: its Patroni process and its postmaster together. */
    void kill(DatabaseNode node);
}
