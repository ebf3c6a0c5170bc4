package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseWorkTest {

    private static DatabaseWork.Snapshot snapshot(Map<String, DatabaseWork.Counted> statements, Map<String, long[]> transactions) {
        return new DatabaseWork.Snapshot(statements, transactions, Map.of());
    }

    private static DatabaseWork.Snapshot backends(Map<Long, DatabaseWork.Backend> backends) {
        return new DatabaseWork.Snapshot(Map.of(), Map.of(), backends);
    }

    @Test
    void theWindowsStatementsAndCommitsArePerPaymentByDatabaseWithTheMostRunFirst() {
        DatabaseWork.Snapshot start = snapshot(Map.of(
                        "10/gateway/1", new DatabaseWork.Counted("gateway", "INSERT INTO keys", 1_000, 100.0),
                        "10/transaction_0/2", new DatabaseWork.Counted("transaction_0", "UPDATE payments", 500, 400.0)),
                Map.of("gateway", new long[] {2_000, 5}, "transaction_0", new long[] {900, 0}));
        DatabaseWork.Snapshot end = snapshot(Map.of(
                        "10/gateway/1", new DatabaseWork.Counted("gateway", "INSERT INTO keys", 1_100, 110.0),
                        "10/transaction_0/2", new DatabaseWork.Counted("transaction_0", "UPDATE payments", 700, 600.0),
                        // first run inside the window: counted from zero
                        "10/ledger_0/3", new DatabaseWork.Counted("ledger_0", "INSERT INTO journal\n   VALUES", 50, 5.0)),
                Map.of("gateway", new long[] {2_100, 6}, "transaction_0", new long[] {1_100, 0}, "ledger_0", new long[] {50, 0}));

        DatabaseWork.Table table = DatabaseWork.between(start, end, 100, 100);

        assertThat(table.note()).isNull();
        assertThat(table.statementsPerPayment()).isEqualTo(3.5); // 100 + 200 + 50 over 100 payments
        assertThat(table.commitsPerPayment()).isEqualTo(3.5);    // 100 + 200 + 50
        assertThat(table.rollbacksPerPayment()).isEqualTo(0.01);
        assertThat(table.statementMillisPerPayment()).isEqualTo(2.15); // 10 + 200 + 5 ms
        assertThat(table.databases()).extracting(DatabaseWork.DatabaseRow::database)
                .containsExactly("gateway", "ledger_0", "transaction_0");
        assertThat(table.top()).extracting(DatabaseWork.StatementRow::query)
                .containsExactly("UPDATE payments", "INSERT INTO keys", "INSERT INTO journal VALUES");
        assertThat(table.top().get(0).callsPerPayment()).isEqualTo(2.0);
        assertThat(table.top().get(0).meanMillis()).isEqualTo(1.0);
    }

    @Test
    void atRestTheWindowsStatementsAndCommitsArePerSecond() {
        DatabaseWork.Snapshot start = snapshot(Map.of(
                        "10/auth/1", new DatabaseWork.Counted("auth", "SELECT id FROM outbox", 1_000, 50.0)),
                Map.of("auth", new long[] {4_000, 2}, "risk", new long[] {300, 0}));
        DatabaseWork.Snapshot end = snapshot(Map.of(
                        "10/auth/1", new DatabaseWork.Counted("auth", "SELECT id FROM outbox", 1_120, 56.0),
                        "10/risk/2", new DatabaseWork.Counted("risk", "DELETE FROM outbox", 30, 3.0)),
                Map.of("auth", new long[] {4_090, 2}, "risk", new long[] {330, 0}));

        DatabaseWork.Rates rates = DatabaseWork.perSecond(start, end, 60);

        assertThat(rates.statementsPerSecond()).isEqualTo(2.5); // 120 + 30 over 60 s
        assertThat(rates.commitsPerSecond()).isEqualTo(2.0);    // 90 + 30
    }

    @Test
    void noPaymentMeansNoFiguresAndLongStatementsAreCut() {
        DatabaseWork.Snapshot empty = snapshot(Map.of(), Map.of());
        assertThat(DatabaseWork.between(empty, empty, 0, 100).note()).isEqualTo("no payment was created");
        assertThat(DatabaseWork.oneLine("SELECT " + "x, ".repeat(60))).hasSize(110).endsWith("...");
    }

    @Test
    void eachDatabasesBackendsCpuIsWhatTheySpentInTheWindowCountingNewBackendsAndReusedPidsFromZero() {
        DatabaseWork.Snapshot start = backends(Map.of(
                101L, new DatabaseWork.Backend("auth", 5_000, 300),
                102L, new DatabaseWork.Backend("auth", 5_000, 40),
                103L, new DatabaseWork.Backend("vault", 5_000, 1_000),
                104L, new DatabaseWork.Backend("vault", 5_000, 70)));   // ends inside the window
        DatabaseWork.Snapshot end = backends(Map.of(
                101L, new DatabaseWork.Backend("auth", 5_000, 420),     // 120 ticks
                102L, new DatabaseWork.Backend("auth", 5_000, 70),      // 30
                103L, new DatabaseWork.Backend("vault", 9_000, 25),     // a new backend on an old pid: 25
                105L, new DatabaseWork.Backend("gateway", 9_100, 50))); // connected inside the window: 50

        DatabaseWork.Table table = DatabaseWork.between(start, end, 50, 100);

        // ticks of 10 ms over 50 payments
        assertThat(table.backendCpuMillisPerPayment()).isEqualTo(45.0);    // 225 ticks
        assertThat(table.databases())
                .extracting(DatabaseWork.DatabaseRow::database, DatabaseWork.DatabaseRow::backendCpuMillisPerPayment)
                .containsExactly(tuple("auth", 30.0), tuple("gateway", 10.0), tuple("vault", 5.0));
    }
}
