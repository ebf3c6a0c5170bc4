package dev.nightjar.platform.bench;

import dev.nightjar.platform.postgres.PlatformDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL bound of the same run: how many minimal durable payment write sets the platform's own server
 * commits per second, by {@code pgbench} against a scratch database on it ({@value #DATABASE}, dropped after).
 * A write set is one transaction of a payment row and its outbox row, committed with {@code synchronous_commit}
 * on, as transaction-service's state change is; the platform's databases see several such commits per payment
 * (see the statements and commits per payment), so the ratio says how far the whole path is from what the disk
 * and the server allow, not a target to equal.
 */
public final class PostgresBound {

    static final String DATABASE = "nightjar_bound";
    static final int CLIENTS = 32;
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final String SCRIPT = """
            \\set id random(1, 9000000000000000)
            BEGIN;
            INSERT INTO bound_payments (id, merchant_id, status, amount_minor, currency, payload)
                VALUES (:id, 'mer_bound', 'CAPTURED', 1999, 'EUR', '{"status": "captured", "amount": 1999}') ON CONFLICT DO NOTHING;
            INSERT INTO bound_outbox (topic, message_key, payload) VALUES ('payment_events', 'mer_bound', '{"type": "payment.captured"}');
            COMMIT;
            """;

    /** The bound, or why there is none. */
    public record Result(Double writeSetsPerSecond, int clients, long seconds, String note) {
    }

    private PostgresBound() {
    }

    /** Runs pgbench for {@code duration} against the server on {@code port}; the database is created and dropped here. */
    static Result measure(PlatformDatabase database, int port, String superuserPassword, Duration duration) {
        Optional<Path> pgbench = pgbench();
        if (pgbench.isEmpty()) {
            return new Result(null, CLIENTS, duration.toSeconds(), "pgbench not found (Debian: apt-get install postgresql-client)");
        }
        Path script = null;
        try {
            execute(database, "postgres", "DROP DATABASE IF EXISTS " + DATABASE, "CREATE DATABASE " + DATABASE);
            execute(database, DATABASE,
                    "CREATE TABLE bound_payments (id bigint PRIMARY KEY, merchant_id text NOT NULL, status text NOT NULL, "
                            + "amount_minor bigint NOT NULL, currency text NOT NULL, payload jsonb NOT NULL, "
                            + "created_at timestamptz NOT NULL DEFAULT now())",
                    "CREATE TABLE bound_outbox (id bigserial PRIMARY KEY, topic text NOT NULL, message_key text NOT NULL, "
                            + "payload jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
            script = Files.createTempFile("nightjar-bound", ".sql");
            Files.writeString(script, SCRIPT);
            ProcessBuilder command = new ProcessBuilder(pgbench.get().toString(), "-n", "-c", Integer.toString(CLIENTS),
                    "-j", "2", "-T", Long.toString(duration.toSeconds()), "-f", script.toString(),
                    "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", DATABASE)
                    .redirectErrorStream(true);
            command.environment().put("PGPASSWORD", superuserPassword);
            Process run = command.start();
            String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!run.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || run.exitValue() != 0) {
                run.destroyForcibly();
                return new Result(null, CLIENTS, duration.toSeconds(), "pgbench failed: " + lastLine(output));
            }
            Matcher tps = TPS.matcher(output);
            return tps.find()
                    ? new Result(Double.parseDouble(tps.group(1)), CLIENTS, duration.toSeconds(), null)
                    : new Result(null, CLIENTS, duration.toSeconds(), "pgbench printed no tps: " + lastLine(output));
        } catch (IOException | SQLException e) {
            return new Result(null, CLIENTS, duration.toSeconds(), "not measured: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(null, CLIENTS, duration.toSeconds(), "interrupted");
        } finally {
            try {
                execute(database, "postgres", "DROP DATABASE IF EXISTS " + DATABASE);
                if (script != null) {
                    Files.deleteIfExists(script);
                }
            } catch (IOException | SQLException e) {
                // the scratch database stays until the next run drops it first
            }
        }
    }

    /** Whether this machine has a pgbench to measure the bound with. */
    public static boolean pgbenchInstalled() {
        return pgbench().isPresent();
    }

    /** pgbench on the PATH, else the newest of the Debian server packages'. */
    static Optional<Path> pgbench() {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(directory, "pgbench");
            if (!directory.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(version -> version.resolve("bin").resolve("pgbench")).filter(Files::isExecutable)
                    .max(Path::compareTo);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void execute(PlatformDatabase database, String name, String... statements) throws SQLException {
        try (Connection connection = database.connect(name); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static String lastLine(String output) {
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "(nothing)" : lines.get(lines.size() - 1);
    }
}
