package dev.nightjar.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How PostgreSQL planned a statement on one pooled connection: the driver prepares a statement on the server from
 * its fifth execution on a connection, and {@code pg_prepared_statements} then counts the executions that reused
 * the statement's one plan (generic) and those planned again for the values given (custom).
 */
public final class PreparedPlans {

    /** The counts of {@code pg_prepared_statements} for one statement. */
    public record Plans(long generic, long custom) {
    }

    private PreparedPlans() {
    }

    /**
     * Runs {@code sql} (a statement that changes or returns nothing for {@code parameters}, which are bound in
     * order) {@code times} times on one connection of {@code pool}, inside a transaction rolled back at the end,
     * and reads how the server planned it.
     */
    public static Plans afterRepeating(DataSource pool, String sql, int times, Object... parameters) {
        try (Connection connection = pool.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    for (int i = 0; i < times; i++) {
                        for (int p = 0; p < parameters.length; p++) {
                            statement.setObject(p + 1, parameters[p]);
                        }
                        statement.execute();
                    }
                }
                return plans(connection, sql);
            } finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql, e);
        }
    }

    /**
     * The counts summed over the statements prepared on one connection of {@code pool} whose text contains
     * {@code fragment}: on a pool of one connection, every statement the pool has run.
     */
    public static Plans containing(DataSource pool, String fragment) {
        try (Connection connection = pool.getConnection();
             PreparedStatement read = connection.prepareStatement("""
                     SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)
                       FROM pg_prepared_statements WHERE strpos(statement, ?) > 0""")) {
            read.setString(1, fragment);
            try (ResultSet rows = read.executeQuery()) {
                rows.next();
                return new Plans(rows.getLong(1), rows.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the prepared statements", e);
        }
    }

    private static Plans plans(Connection connection, String sql) throws SQLException {
        // The driver sends the statement with $1, $2, … where the SQL has its question marks.
        StringBuilder sent = new StringBuilder();
        int parameter = 0;
        for (char c : sql.toCharArray()) {
            if (c == '?') {
                sent.append('$').append(++parameter);
            } else {
                sent.append(c);
            }
        }
        try (PreparedStatement read = connection.prepareStatement(
                "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = ?")) {
            read.setString(1, sent.toString());
            try (ResultSet rows = read.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("the server holds no prepared statement " + sent
                            + ": was it run at least five times?");
                }
                return new Plans(rows.getLong(1), rows.getLong(2));
            }
        }
    }
}
