package dev.nightjar.common.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * A migration whose SQL lives once in common-lib (outbox, audit log, monthly partitions, processed events)
 * and which each service adopts at its own next version: {@code class V4__Audit_log extends
 * SharedSqlMigration}. A shared file with a fixed version would collide with versions a service has already
 * applied.
 * {@code ${name}} placeholders are replaced from the Flyway configuration.
 */
public abstract class SharedSqlMigration extends BaseJavaMigration {

    public static final String OUTBOX = "outbox.sql";
    public static final String AUDIT_LOG = "audit_log.sql";
    public static final String MONTHLY_PARTITIONS = "monthly_partitions.sql";
    public static final String PROCESSED_EVENTS = "processed_events.sql";

    private final String resource;

    protected SharedSqlMigration(String resource) {
        this.resource = resource;
    }

    @Override
    public void migrate(Context context) throws Exception {
        String sql = load(resource);
        for (Map.Entry<String, String> placeholder : context.getConfiguration().getPlaceholders().entrySet()) {
            sql = sql.replace("${" + placeholder.getKey() + "}", placeholder.getValue());
        }
        if (sql.contains("${")) {
            throw new IllegalStateException(resource + " has a placeholder the Flyway configuration does not define");
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute(sql);
        }
    }

    private static String load(String name) {
        try (InputStream in = SharedSqlMigration.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("shared migration " + name + " is missing from common-lib");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
