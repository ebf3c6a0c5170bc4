package dev.nightjar.platform.seed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.id.Ids;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.ItEnvironment;
import dev.nightjar.platform.postgres.LocalPostgres;
import dev.nightjar.platform.process.DirectoryProcesses;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ./nightjar seed} against a real PostgreSQL holding the services' migrated schemas. Seeds 5,000 payments;
 * {@code -Dseed.it.payments=N -Dseed.it.merchants=K} checks a larger history the same way (the seed's output, with
 * rows per second, is in the test's output).
 */
class HistorySeederIT {

    private static final int PAYMENTS = Integer.getInteger("seed.it.payments", 5_000);
    private static final int MERCHANTS = Integer.getInteger("seed.it.merchants", 40);

    private static final List<FleetMember> SEEDED = List.of(FleetMember.TRANSACTION, FleetMember.LEDGER, FleetMember.RISK);

    private final Path dir = ItEnvironment.directory("history-seeder");
    private final LocalPostgres postgres = new LocalPostgres(dir.resolve("data"), ItEnvironment.PORTS.postgres(),
            dir.resolve("postgres.log"), "seed-it-password", LocalPostgres.platformSettings(),
            SEEDED.stream().flatMap(member -> member.databases().stream()).toList());
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @AfterEach
    void stop() {
        System.out.print(output.toString(StandardCharsets.UTF_8));
        postgres.stop(Duration.ofSeconds(30));
        DirectoryProcesses.killAll(dir, Duration.ofSeconds(10));
    }

    @Test
    void aSeededHistoryIsStoredAsTheServicesStoreItAndASecondRunExtendsTheLedgerChain() throws SQLException {
        postgres.start();
        ServiceSchemas.create(postgres, SEEDED);
        HistorySeeder seeder = new HistorySeeder(postgres, new PrintStream(output, true, StandardCharsets.UTF_8));

        HistorySeeder.Result first = seeder.run(new SeedOptions(PAYMENTS, 42, MERCHANTS, 6, Instant.now(), Math.max(1, Math.min(PAYMENTS / 5, 10_000))));

        assertThat(first.payments()).isEqualTo(PAYMENTS);
        assertThat(count("transaction", "payments")).isEqualTo(PAYMENTS);
        assertThat(count("transaction", "refunds")).isEqualTo(first.refunds()).isPositive();
        assertThat(count("transaction", "outbox")).isZero();
        assertThat(count("ledger", "journal_entries")).isEqualTo(first.entries());
        assertThat(count("risk", "risk_decisions")).isEqualTo(PAYMENTS);
        assertThat(statuses()).containsKeys("CAPTURED", "SETTLED", "REFUNDED", "DECLINED", "CANCELED", "FAILED");
        assertIdsCarryCreatedAt();
        assertLedgerVerifiesAndHoldsEveryPayment();
        assertThat(count("risk", "risk_feature_buckets")).isPositive();
        assertThat(sum("risk", "SELECT sum(observations) FROM risk_merchant_amounts")).isEqualTo(PAYMENTS);
        assertThat(output.toString(StandardCharsets.UTF_8)).contains(String.format("seeded %,d payments", PAYMENTS))
                .doesNotContainPattern("\\d{13,19}");
        assertEveryTableWithRowsIsVacuumedAndAnalyzed();

        HistorySeeder.Result second = seeder.run(new SeedOptions(2_000, 42, MERCHANTS, 6, Instant.now().plusSeconds(1), 1_000));

        assertThat(count("transaction", "payments")).isEqualTo(PAYMENTS + 2_000);
        assertThat(count("ledger", "journal_entries")).isEqualTo(first.entries() + second.entries());
        assertIdsCarryCreatedAt();
        assertLedgerVerifiesAndHoldsEveryPayment();
    }

    /** As a live platform's tables are: nothing of the seed left for autovacuum to do during a benchmark. */
    private void assertEveryTableWithRowsIsVacuumedAndAnalyzed() throws SQLException {
        List<String> databases = SEEDED.stream().flatMap(member -> member.databases().stream()).toList();
        for (String database : databases) {
            try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("""
                         SELECT relname, last_vacuum IS NOT NULL, last_analyze IS NOT NULL
                         FROM pg_stat_user_tables WHERE n_live_tup > 0""")) {
                int tables = 0;
                while (rows.next()) {
                    tables++;
                    String table = database + "." + rows.getString(1);
                    assertThat(rows.getBoolean(2)).as(table + " vacuumed").isTrue();
                    assertThat(rows.getBoolean(3)).as(table + " analyzed").isTrue();
                }
                assertThat(tables).as(database + ": tables with rows").isPositive();
            }
        }
        assertThat(output.toString(StandardCharsets.UTF_8)).contains("vacuumed and analyzed the 5 seeded databases");
    }

    private void assertIdsCarryCreatedAt() throws SQLException {
        for (String shard : shards("transaction")) {
            assertIdsCarryCreatedAt(shard, "payments");
            assertIdsCarryCreatedAt(shard, "refunds");
        }
        for (String shard : shards("ledger")) {
            assertIdsCarryCreatedAt(shard, "journal_entries");
        }
    }

    private void assertIdsCarryCreatedAt(String database, String table) throws SQLException {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, created_at FROM " + table)) {
            while (rows.next()) {
                assertThat(rows.getTimestamp(2).toInstant()).as(rows.getString(1)).isEqualTo(Ids.timestampOf(rows.getString(1)));
            }
        }
    }

    /**
     * The ledger's integrity check on every shard, debits equal to credits per currency, and what
     * {@code ./nightjar ledger check} holds against the payments: each payment's captured and refunded amounts
     * exactly in its capture and refund entries.
     */
    private void assertLedgerVerifiesAndHoldsEveryPayment() throws SQLException {
        for (int shard = 0; shard < shards("ledger").size(); shard++) {
            try (Connection ledger = postgres.connect("ledger_" + shard)) {
                assertThat(JournalWalk.findings(ledger)).as("ledger_" + shard).isEmpty();
                try (Statement statement = ledger.createStatement(); ResultSet rows = statement.executeQuery("""
                        SELECT p.currency, sum(p.amount) FILTER (WHERE p.amount > 0), -sum(p.amount) FILTER (WHERE p.amount < 0)
                        FROM journal_entries e, unnest(e.posting_currencies, e.posting_amounts) AS p(currency, amount)
                        GROUP BY p.currency""")) {
                    while (rows.next()) {
                        assertThat(rows.getLong(2)).as("debits in " + rows.getString(1)).isEqualTo(rows.getLong(3)).isPositive();
                    }
                }
            }
            Map<String, long[]> payments = rows("transaction_" + shard,
                    "SELECT id, amount_captured_minor, amount_refunded_minor FROM payments WHERE amount_captured_minor > 0");
            Map<String, long[]> booked = rows("ledger_" + shard, """
                    SELECT e.payment_id,
                           coalesce(sum(p.amount) FILTER (WHERE e.kind = 'capture'), 0),
                           coalesce(-sum(p.amount) FILTER (WHERE e.kind = 'refund'), 0)
                    FROM journal_entries e, unnest(e.posting_accounts, e.posting_amounts) AS p(account, amount)
                    WHERE e.kind IN ('capture', 'refund') AND p.account LIKE 'acquirer_receivable:%'
                    GROUP BY e.payment_id""");
            assertThat(payments).isNotEmpty();
            payments.forEach((payment, amounts) -> assertThat(booked.get(payment)).as(payment).containsExactly(amounts));
            assertThat(booked.keySet()).isEqualTo(payments.keySet());
        }
    }

    private Map<String, Long> statuses() throws SQLException {
        Map<String, Long> statuses = new HashMap<>();
        for (String shard : shards("transaction")) {
            rows(shard, "SELECT status, count(*) FROM payments GROUP BY status")
                    .forEach((status, n) -> statuses.merge(status, n[0], Long::sum));
        }
        return statuses;
    }

    private List<String> shards(String service) {
        return Stream.of(FleetMember.TRANSACTION, FleetMember.LEDGER, FleetMember.RISK)
                .flatMap(member -> member.databases().stream()).filter(name -> name.startsWith(service)).toList();
    }

    private long count(String service, String table) throws SQLException {
        long total = 0;
        for (String database : shards(service)) {
            total += sum(database, "SELECT count(*) FROM " + table);
        }
        return total;
    }

    private long sum(String database, String sql) throws SQLException {
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private Map<String, long[]> rows(String database, String sql) throws SQLException {
        Map<String, long[]> rows = new HashMap<>();
        try (Connection connection = postgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                long[] values = new long[columns - 1];
                for (int i = 0; i < values.length; i++) {
                    values[i] = rs.getLong(i + 2);
                }
                rows.put(rs.getString(1), values);
            }
        }
        return rows;
    }
}
