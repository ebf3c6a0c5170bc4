package dev.nightjar.common.jdbc;

import java.util.Collection;

/**
 * PostgreSQL array literals for {@code CAST(:param AS text[])}: Spring's named parameters expand a Java
 * array or collection into a comma list, so arrays travel as one literal string instead.
 */
public final class SqlArrays {

    private SqlArrays() {
    }

    public static String text(Collection<String> values) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (String value : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (value == null) {
                out.append("NULL");
            } else {
                out.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }

    public static String bigint(Collection<Long> values) {
        StringBuilder out = new StringBuilder("{");
        boolean first = true;
        for (Long value : values) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(value == null ? "NULL" : Long.toString(value));
        }
        return out.append('}').toString();
    }
}
