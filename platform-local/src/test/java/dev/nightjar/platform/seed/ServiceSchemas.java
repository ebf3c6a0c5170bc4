package dev.nightjar.platform.seed;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.postgres.PlatformDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The services' real schemas on a test server, from their migrations in this checkout (Flyway and the
 * services are not on platform-local's class path): each service's {@code V<n>__*.sql} files and its Java
 * migrations, in version order, run as its owner role with {@code ${app_role}} filled in. A Java migration
 * that adopts a shared SQL file from common-lib runs that file; the ledger's chaining of existing entries starts
 * the chain head of an empty journal; any other Java migration fails here, to be taught.
 */
final class ServiceSchemas {

    private static final Map<String, String> SHARED = Map.of(
            "SharedSqlMigration.MONTHLY_PARTITIONS", "monthly_partitions.sql",
            "SharedSqlMigration.OUTBOX", "outbox.sql",
            "SharedSqlMigration.PROCESSED_EVENTS", "processed_events.sql",
            "SharedSqlMigration.AUDIT_LOG", "audit_log.sql");
    private static final String EMPTY_CHAIN = "INSERT INTO ledger_chain (singleton, last_sequence, last_hash) VALUES (true, 0, '\\x"
            + "0".repeat(64) + "')";

    private ServiceSchemas() {
    }

    /** The checkout's root: platform-local's tests run in platform-local. */
    static Path repository() {
        Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(here.resolve("transaction-service")) ? here : here.getParent();
    }

    /** Roles, databases and migrated schemas of {@code members} on {@code database}. */
    static void create(PlatformDatabase database, List<FleetMember> members) {
        for (FleetMember member : members) {
            database.ensureRole(member.ownerRole(), "owner-password");
            database.ensureRole(member.appRole(), "app-password");
            for (String name : member.databases()) {
                database.ensureDatabase(name, member.ownerRole(), member.appRole());
                migrate(database, name, member);
            }
        }
    }

    private static void migrate(PlatformDatabase database, String name, FleetMember member) {
        Path module = repository().resolve(member.module());
        try (Connection connection = database.connect(name); Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + member.ownerRole());
            for (String sql : migrations(module).values()) {
                statement.execute(sql.replace("${app_role}", member.appRole()));
            }
            statement.execute("RESET ROLE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not migrate " + name + ": " + e.getMessage(), e);
        }
    }

    /** The migrations' SQL by version. */
    private static Map<Integer, String> migrations(Path module) {
        Map<Integer, String> byVersion = new TreeMap<>();
        for (Path file : files(module.resolve("src/main/resources/db/migration"))) {
            byVersion.put(version(file), read(file));
        }
        for (Path file : files(module.resolve("src/main/java/db/migration"))) {
            byVersion.put(version(file), javaMigration(file));
        }
        return byVersion;
    }

    private static String javaMigration(Path file) {
        String source = read(file);
        if (file.getFileName().toString().equals("V4__Chain_existing_entries.java")) {
            return EMPTY_CHAIN;
        }
        return SHARED.entrySet().stream().filter(shared -> source.contains(shared.getKey())).findFirst()
                .map(shared -> shared("dev/nightjar/common/db/" + shared.getValue()))
                .orElseThrow(() -> new IllegalStateException("a Java migration ServiceSchemas does not know: " + file));
    }

    private static List<Path> files(Path directory) {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().matches("V\\d+__.*\\.(sql|java)"))
                    .sorted(Comparator.comparing(ServiceSchemas::version)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shared(String resource) {
        try (InputStream in = ServiceSchemas.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("common-lib's shared migration " + resource + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
