package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.PidFile;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A real PostgreSQL server (the zonky binaries) with its data under one directory, started detached so
 * it outlives the launcher, and stopped by its postmaster pid. On first start it sets a superuser
 * password and switches TCP authentication to SCRAM; roles and databases are created idempotently.
 */
public final class LocalPostgres {

    public static final String SUPERUSER = "postgres";

    private final Path dataDir;
    private final int port;
    private final Path logFile;
    private final String superuserPassword;
    private final Map<String, String> serverSettings;

    public LocalPostgres(Path dataDir, int port, Path logFile, String superuserPassword, Map<String, String> serverSettings) {
        this.dataDir = dataDir;
        this.port = port;
        this.logFile = logFile;
        this.superuserPassword = superuserPassword;
        this.serverSettings = Map.copyOf(serverSettings);
    }

    /** Settings for the local platform: durable commits, room for every service's pool, loopback only. */
    public static Map<String, String> platformSettings() {
        return Map.of(
                "fsync", "on",
                "synchronous_commit", "on",
                "listen_addresses", "127.0.0.1",
                "max_connections", "400",
                "shared_buffers", "256MB",
                "max_wal_size", "2GB",
                "log_min_messages", "warning",
                "max_prepared_transactions", "0");
    }

    public int port() {
        return port;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Optional<ProcessHandle> postmaster() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        try {
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first)).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRunning() {
        return postmaster().isPresent();
    }

    /** Starts the server unless it runs already; initializes it on the very first start. */
    public void start() {
        if (isRunning()) {
            return;
        }
        boolean firstStart = !Files.exists(dataDir.resolve("postgresql.conf"));
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
            builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start; see " + logFile, e);
        }
        if (firstStart) {
            secure();
        }
    }

    /** Fast shutdown (SIGINT): open transactions roll back, committed data is on disk. */
    public void stop(Duration timeout) {
        postmaster().ifPresent(process -> {
            try {
                new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!PidFile.awaitExit(process, timeout)) {
                process.destroyForcibly();
                PidFile.awaitExit(process, Duration.ofSeconds(10));
            }
        });
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), SUPERUSER, superuserPassword);
    }

    /** Creates a login role with this password, or resets the password of an existing one. */
    public void ensureRole(String role, String password) {
        requireIdentifier(role);
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            String verb = exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER" : "CREATE";
            statement.execute(verb + " ROLE " + role + " LOGIN PASSWORD " + literal(password));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create role " + role, e);
        }
    }

    /**
     * Creates the database owned by {@code owner} unless it exists, and lets {@code appRole} connect and use
     * the public schema; table privileges are granted by the owning service's migrations.
     */
    public void ensureDatabase(String database, String owner, String appRole) {
        requireIdentifier(database);
        requireIdentifier(owner);
        requireIdentifier(appRole);
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + owner);
            }
            statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            statement.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + appRole);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SCHEMA public OWNER TO " + owner);
            statement.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            statement.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare database " + database, e);
        }
    }

    /** First start: the server came up with trust authentication; give the superuser a password, then require SCRAM. */
    private void secure() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, "");
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER ROLE " + SUPERUSER + " PASSWORD " + literal(superuserPassword));
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

    private static boolean exists(Connection connection, String query, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
