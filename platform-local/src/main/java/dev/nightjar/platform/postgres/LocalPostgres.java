package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real PostgreSQL server (the zonky binaries) with its data under one directory, started detached so
 * it outlives the launcher, and stopped by its postmaster pid. On first start it sets a superuser
 * password and switches TCP authentication to SCRAM; roles and databases are created idempotently.
 * A postmaster killed with SIGKILL leaves its backends running; {@link #start()} kills them first, since
 * they hold the old shared memory and a new postmaster refuses to start beside them.
 */
public final class LocalPostgres implements PlatformDatabase {

    public static final String SUPERUSER = "postgres";
    /** The name of its only cluster and node in {@link #clusters()}. */
    public static final String NAME = "postgresql";

    private static final Duration LEFTOVER_EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final String superuserPassword;
    private final Map<String, String> serverSettings;
    private final List<String> databases;
    /**
     * The handle of the server this object started, kept open because closing it stops the server. It also
     * holds zonky's lock on the data directory, which a second start in the same JVM (a test, the chaos tool)
     * must release first.
     */
    private EmbeddedPostgres started;

    public LocalPostgres(Path dataDir, int port, Path logFile, String superuserPassword, Map<String, String> serverSettings,
                         List<String> databases) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.port = port;
        this.logFile = logFile;
        this.superuserPassword = superuserPassword;
        this.serverSettings = Map.copyOf(serverSettings);
        this.databases = List.copyOf(databases);
    }

    /** Settings for the local platform: durable commits, room for every service's pool, loopback only, statements counted. */
    public static Map<String, String> platformSettings() {
        return Map.of(
                "fsync", "on",
                "synchronous_commit", "on",
                "listen_addresses", "127.0.0.1",
                "max_connections", "400",
                "shared_buffers", "256MB",
                "max_wal_size", "2GB",
                "log_min_messages", "warning",
                "max_prepared_transactions", "0",
                // statements per payment for ./nightjar bench: counted in shared memory as each statement ends
                "shared_preload_libraries", "pg_stat_statements");
    }

    public int port() {
        return port;
    }

    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** The live postmaster of this data directory: the pid in postmaster.pid, if that process works there. */
    public Optional<ProcessHandle> postmaster() {
        return Postmasters.of(dataDir);
    }

    @Override
    public boolean isRunning() {
        return postmaster().isPresent();
    }

    /**
     * Starts the server unless it runs already; initializes it on the very first start. Backends a killed
     * postmaster left behind are killed first.
     */
    @Override
    public void start() {
        if (isRunning()) {
            return;
        }
        boolean firstStart = !Files.exists(dataDir.resolve("postgresql.conf"));
        releaseDeadServer();
        if (!firstStart) {
            DirectoryProcesses.killAll(dataDir, LEFTOVER_EXIT_TIMEOUT);
        }
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            serverSettings.forEach(builder::setServerConfig);
            if (!firstStart) {
                builder.setConnectConfig("password", superuserPassword);
            }
            // Deliberately not closed: closing stops the server, which must outlive this process.
            started = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start; see " + logFile, e);
        }
        if (firstStart) {
            secure();
        }
    }

    /** Fast shutdown (SIGINT): open transactions roll back, committed data is on disk. */
    @Override
    public void stop(Duration timeout) {
        postmaster().ifPresent(process -> Postmasters.stopFast(process, timeout));
        releaseDeadServer();
    }

    /** Closes the handle of a server this object started that no longer runs: releases zonky's data directory lock. */
    private void releaseDeadServer() {
        if (started == null) {
            return;
        }
        try {
            // its pg_ctl stop finds no server and says so in the log; the lock is released all the same
            started.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            started = null;
        }
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword);
    }

    @Override
    public void ensureRole(String role, String password) {
        Provisioning.ensureRole(this::connect, role, password);
    }

    @Override
    public void ensureDatabase(String database, String owner, String appRole) {
        Provisioning.ensureDatabase(this::connect, database, owner, appRole);
    }

    @Override
    public List<DatabaseCluster> clusters() {
        Optional<ProcessHandle> postmaster = postmaster();
        DatabaseNode node = new DatabaseNode(NAME, port, postmaster, Optional.empty(),
                postmaster.isPresent() ? DatabaseNode.LEADER : DatabaseNode.STOPPED,
                postmaster.isPresent() ? DatabaseNode.RUNNING : DatabaseNode.STOPPED);
        return List.of(new DatabaseCluster(NAME, databases, List.of(node)));
    }

    /** SIGKILLs the postmaster alone: its backends live on as orphans, as after a crash, until {@link #start()} clears them. */
    @Override
    public void kill(DatabaseNode node) {
        if (!NAME.equals(node.name())) {
            throw new IllegalArgumentException("no such node: " + node.name());
        }
        postmaster().ifPresent(process -> {
            process.destroyForcibly();
            PidFile.awaitExit(process, Duration.ofSeconds(10));
        });
    }

    /** First start: the server came up with trust authentication; give the superuser a password, then require SCRAM. */
    private void secure() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD " + Provisioning.literal(superuserPassword));
            Files.writeString(dataDir.resolve("pg_hba.conf"), """
                    # Written by the Nightjar local platform: password (SCRAM) authentication over loopback only.
                    local   all   all                     scram-sha-256
                    host    all   all   127.0.0.1/32      scram-sha-256
                    host    all   all   ::1/128           scram-sha-256
                    """);
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("could not secure the new PostgreSQL server", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
