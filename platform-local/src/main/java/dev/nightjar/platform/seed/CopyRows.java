package dev.nightjar.platform.seed;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Rows for one {@code COPY table (columns) FROM STDIN} in PostgreSQL's text format, built field by field and
 * sent in one go: the bulk path, far faster than INSERTs. Values are escaped as the format needs (backslash,
 * tab, newline, carriage return); arrays are written as quoted array literals, bytea as hex.
 */
final class CopyRows {

    private static final HexFormat HEX = HexFormat.of();

    private final String target;
    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean inRow;
    private long rows;

    /** @param target the table and its columns, as in {@code payments (id, created_at, ...)} */
    CopyRows(String target) {
        this.target = target;
    }

    CopyRows text(String value) {
        separate();
        if (value == null) {
            text.append("\\N");
        } else {
            escape(value);
        }
        return this;
    }

    CopyRows number(long value) {
        separate();
        text.append(value);
        return this;
    }

    CopyRows number(double value) {
        separate();
        text.append(value);
        return this;
    }

    CopyRows time(Instant value) {
        return text(value == null ? null : value.toString());
    }

    CopyRows bool(boolean value) {
        separate();
        text.append(value ? 't' : 'f');
        return this;
    }

    /** A {@code text[]} value: every element quoted. */
    CopyRows textArray(List<String> values) {
        StringBuilder literal = new StringBuilder(16 + values.size() * 24).append('{');
        for (int i = 0; i < values.size(); i++) {
            literal.append(i == 0 ? "\"" : ",\"").append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return text(literal.append('}').toString());
    }

    /** A {@code bigint[]} value. */
    CopyRows numberArray(long[] values) {
        StringBuilder literal = new StringBuilder(8 + values.length * 12).append('{');
        for (int i = 0; i < values.length; i++) {
            literal.append(i == 0 ? "" : ",").append(values[i]);
        }
        return text(literal.append('}').toString());
    }

    /** A {@code bytea} value, in hex. */
    CopyRows bytes(byte[] value) {
        return text("\\x" + HEX.formatHex(value));
    }

    void endRow() {
        text.append('\n');
        inRow = false;
        rows++;
    }

    long rows() {
        return rows;
    }

    /** Sends the rows within the connection's transaction; returns how many were copied. */
    long copy(Connection connection) throws SQLException {
        if (rows == 0) {
            return 0;
        }
        try {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + target + " FROM STDIN", new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("could not copy into " + target, e);
        }
    }

    private void separate() {
        if (inRow) {
            text.append('\t');
        }
        inRow = true;
    }

    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }
}
