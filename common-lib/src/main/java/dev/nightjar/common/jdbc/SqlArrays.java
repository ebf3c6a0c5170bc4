package dev.nightjar.common.jdbc;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

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

    /** One column of {@code rows} as a {@code text[]} literal: for inserting many rows with one {@code unnest}. */
    public static <T> String text(Collection<T> rows, Function<? super T, String> column) {
        List<String> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add(column.apply(row)));
        return text(values);
    }

    /** One column of {@code rows} as a {@code bigint[]} literal. */
    public static <T> String bigint(Collection<T> rows, Function<? super T, Long> column) {
        List<Long> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add(column.apply(row)));
        return bigint(values);
    }
}
