package dev.nightjar.platform.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Roles and databases made idempotently through a superuser connection to a primary: the single server's or a cluster's. */
final class Provisioning {

    /** Opens a superuser connection to a database on the primary. */
    @FunctionalInterface
    interface Superuser {
        Connection connect(String database) throws SQLException;
    }

    private Provisioning() {
    }

    static void ensureRole(Superuser superuser, String role, String password) {
        requireIdentifier(role);
        try (Connection connection = superuser.connect("postgres"); Statement statement = connection.createStatement()) {
            String verb = exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", role) ? "ALTER" : "CREATE";
            statement.execute(verb + " ROLE " + role + " LOGIN PASSWORD " + literal(password));
        } catch (SQLException e) {
            throw new IllegalStateException("could not create role " + role, e);
        }
    }

    static void ensureDatabase(Superuser superuser, String database, String owner, String appRole) {
        requireIdentifier(database);
        requireIdentifier(owner);
        requireIdentifier(appRole);
        try (Connection connection = superuser.connect("postgres"); Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                statement.execute("CREATE DATABASE " + database + " OWNER " + owner);
            }
            statement.execute("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
            statement.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + database + " TO " + appRole);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + database, e);
        }
        try (Connection connection = superuser.connect(database); Statement statement = connection.createStatement()) {
            statement.execute("ALTER SCHEMA public OWNER TO " + owner);
            statement.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC");
            statement.execute("GRANT USAGE ON SCHEMA public TO " + appRole);
        } catch (SQLException e) {
            throw new IllegalStateException("could not prepare database " + database, e);
        }
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static boolean exists(Connection connection, String query, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void requireIdentifier(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain SQL identifier: " + name);
        }
    }
}
