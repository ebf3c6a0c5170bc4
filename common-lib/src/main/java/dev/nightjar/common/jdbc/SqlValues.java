package dev.nightjar.common.jdbc;

import java.sql.Types;
import org.springframework.jdbc.core.SqlParameterValue;

/**
 * Parameters that may be null, bound with their SQL type either way. Spring binds a null it knows no type for as
 * the PostgreSQL driver's "unspecified", and the driver binds a string as {@code varchar}. A statement the driver
 * has prepared on the server for one of the two is parsed and planned again when the other arrives, so a
 * statement whose nullable columns change from one execution to the next (an approval's authorization code, a
 * decline's decline code) was prepared again on nearly every change. Typed, a null and a value bind alike and the
 * statement is prepared once per connection.
 */
public final class SqlValues {

    private SqlValues() {
    }

    public static SqlParameterValue text(String value) {
        return new SqlParameterValue(Types.VARCHAR, value);
    }

    public static SqlParameterValue bigint(Long value) {
        return new SqlParameterValue(Types.BIGINT, value);
    }

    public static SqlParameterValue integer(Integer value) {
        return new SqlParameterValue(Types.INTEGER, value);
    }
}
