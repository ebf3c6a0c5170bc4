package dev.nightjar.platform.seed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement over many rows, one array parameter per column ({@code SELECT * FROM unnest(...)}), as the
 * services write their upserts; in chunks, within the caller's transaction.
 */
final class Unnest {

    static final int CHUNK = 10_000;

    /** Fills one list per column from a row. */
    interface Columns<T> {
        void fill(T row, List<List<Object>> columns);
    }

    private Unnest() {
    }

    /** @param types the element type of each array parameter, as PostgreSQL names it */
    static <T> long run(Connection connection, String sql, List<T> rows, Columns<T> columns, String... types)
            throws SQLException {
        for (int from = 0; from < rows.size(); from += CHUNK) {
            List<List<Object>> values = new ArrayList<>(types.length);
            for (int i = 0; i < types.length; i++) {
                values.add(new ArrayList<>(Math.min(CHUNK, rows.size())));
            }
            for (T row : rows.subList(from, Math.min(rows.size(), from + CHUNK))) {
                columns.fill(row, values);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < types.length; i++) {
                    statement.setArray(i + 1, connection.createArrayOf(types[i], typed(types[i], values.get(i))));
                }
                statement.executeUpdate();
            }
        }
        return rows.size();
    }

    /** The driver encodes arrays by their Java element type. */
    private static Object[] typed(String type, List<Object> values) {
        return switch (type) {
            case "text" -> values.toArray(new String[0]);
            case "bigint" -> values.toArray(new Long[0]);
            case "integer" -> values.toArray(new Integer[0]);
            case "float8" -> values.toArray(new Double[0]);
            default -> throw new IllegalArgumentException("no array encoding for " + type);
        };
    }
}
