package dev.nightjar.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * One real PostgreSQL server per test JVM (the same binaries the local platform runs), stopped when the
 * JVM exits. Databases are made the way the platform makes them: owned by a migration role, used by a
 * runtime role that only has the privileges the service's migrations grant.
 */
public final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** A database in the shared server, with its roles: {@code <prefix>_owner} runs migrations, {@code <prefix>_app} runs the service. */
    public record TestDatabase(String name, String url, String ownerRole, String appRole) {
        public String password() {
            return "test";
        }

        /** Connections as the runtime role, the service's own privileges. */
        public DataSource app() {
            return new DriverManagerDataSource(url, appRole, password());
        }

        /** Connections as the owner role, for setting up what the runtime role may not. */
        public DataSource owner() {
            return new DriverManagerDataSource(url, ownerRole, password());
        }
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // The test server trades durability (fsync off) for speed; the platform's does not.
                server = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("shared_buffers", "64MB")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
        }
        return server;
    }

    /** Creates the database and its two roles unless they exist; idempotent within and across test classes. */
    public static synchronized TestDatabase database(String name, String rolePrefix) {
        EmbeddedPostgres pg = server();
        String owner = rolePrefix + "_owner";
        String app = rolePrefix + "_app";
        try (Connection connection = pg.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            for (String role : new String[] {owner, app}) {
                if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                    statement.execute("CREATE ROLE " + role + " LOGIN PASSWORD 'test'");
                }
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                statement.execute("CREATE DATABASE " + name + " OWNER " + owner);
                statement.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
                statement.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + name + " TO " + app);
                try (Connection db = pg.getDatabase("postgres", name).getConnection();
                     Statement dbStatement = db.createStatement()) {
                    dbStatement.execute("ALTER SCHEMA public OWNER TO " + owner);
                    dbStatement.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
                    dbStatement.execute("GRANT USAGE ON SCHEMA public TO " + app);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        return new TestDatabase(name, "jdbc:postgresql://localhost:" + pg.getPort() + "/" + name, owner, app);
    }

    /**
     * {@link #database}, then the service's Flyway migrations (those on the test's class path) applied as the
     * owner role, as the service applies them at its start.
     */
    public static TestDatabase migrated(String name, String rolePrefix) {
        TestDatabase database = database(name, rolePrefix);
        Flyway.configure().dataSource(database.owner())
                .placeholders(Map.of("app_role", database.appRole())).load().migrate();
        return database;
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
