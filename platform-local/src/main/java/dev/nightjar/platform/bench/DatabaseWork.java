package dev.nightjar.platform.bench;

import dev.nightjar.platform.postgres.PlatformDatabase;
import dev.nightjar.platform.process.ProcessStat;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the platform's databases did per payment over a measured window: statements from
 * {@code pg_stat_statements} (every top-level statement of every service database, counted as it ends) and
 * commits and rollbacks from {@code pg_stat_database}, read before and after. A backend reports its commit
 * counts at most once a second while busy and within ten seconds once idle, so the benchmark reads both
 * snapshots {@link #SETTLE} after the traffic before them stopped: the asynchronous work a window's payments
 * cause (consumers, relays, webhooks) is counted with them, and the warm-up's is not.
 *
 * <p>Each database's row also has the CPU its client backends spent between the snapshots, from {@code /proc}
 * ({@code pg_stat_activity} names each backend's process and database): which service's statements and commits
 * cost the server what. The services keep their connections pooled, so their backends live through a window; a
 * backend that ended inside one is not counted here (its CPU is in PostgreSQL's row of the process table, with the
 * server's own processes: the WAL writer, the checkpointer, autovacuum).
 */
final class DatabaseWork {

    /** How long after traffic a snapshot waits for idle backends to report their counts. */
    static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(11);
    /** The statements listed, by calls per payment. */
    static final int TOP = 12;
    private static final String EXTENSION = "pg_stat_statements";
    private static final String SERVICE_DATABASES = "datname NOT IN ('postgres', 'template0', 'template1')";

    /** One statement's counters: which database, its normalized text, how often, how long in total. */
    record Counted(String database, String query, long calls, double totalMillis) {
    }

    /**
     * A client backend's CPU so far, in clock ticks.
     *
     * @param startTicks when its process started, so that a pid used again by a later backend is not taken for it
     */
    record Backend(String database, long startTicks, long ticks) {
    }

    /** The counters at one moment; statements keyed by user, database and query id, backends by pid. */
    record Snapshot(Map<String, Counted> statements, Map<String, long[]> transactions, Map<Long, Backend> backends) {
    }

    /** Per database: statements, commits and rollbacks per payment, and its backends' CPU milliseconds per payment. */
    record DatabaseRow(String database, double statementsPerPayment, double commitsPerPayment, double rollbacksPerPayment,
                       double backendCpuMillisPerPayment) {
    }

    /** One of the statements run most often per payment, its mean time and its share of all statements. */
    record StatementRow(String database, String query, double callsPerPayment, double meanMillis) {
    }

    /** The window's figures; {@code note} says why there are none when the counters cannot be read. */
    record Table(long payments, double statementsPerPayment, double commitsPerPayment, double rollbacksPerPayment,
                 double statementMillisPerPayment, double backendCpuMillisPerPayment, List<DatabaseRow> databases,
                 List<StatementRow> top, String note) {

        static Table unavailable(String why) {
            return new Table(0, 0, 0, 0, 0, 0, List.of(), List.of(), why);
        }
    }

    private DatabaseWork() {
    }

    /**
     * The counters now, after creating the extension in the {@code postgres} database if needed; empty when
     * the server was not started with it preloaded (a platform started before the benchmark could ask for it
     * reads nothing until its next {@code up}), or the database cannot be asked.
     */
    static Optional<Snapshot> take(PlatformDatabase database) {
        try (Connection connection = database.connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS " + EXTENSION);
            Map<String, Counted> statements = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("""
                    SELECT s.userid, d.datname, s.queryid, s.query, s.calls, s.total_exec_time
                      FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                     WHERE s.toplevel AND d.""" + SERVICE_DATABASES)) {
                while (rows.next()) {
                    statements.put(rows.getLong(1) + "/" + rows.getString(2) + "/" + rows.getLong(3),
                            new Counted(rows.getString(2), rows.getString(4), rows.getLong(5), rows.getDouble(6)));
                }
            }
            Map<String, long[]> transactions = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT datname, xact_commit, xact_rollback FROM pg_stat_database WHERE "
                    + SERVICE_DATABASES + " AND datname IS NOT NULL")) {
                while (rows.next()) {
                    transactions.put(rows.getString(1), new long[] {rows.getLong(2), rows.getLong(3)});
                }
            }
            Map<Long, Backend> backends = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT pid, datname FROM pg_stat_activity"
                    + " WHERE backend_type = 'client backend' AND " + SERVICE_DATABASES)) {
                while (rows.next()) {
                    long pid = rows.getLong(1);
                    backend(pid, rows.getString(2)).ifPresent(backend -> backends.put(pid, backend));
                }
            }
            return Optional.of(new Snapshot(statements, transactions, backends));
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    /** A backend's ticks from {@code /proc}; empty when its process is gone, or not on this machine. */
    private static Optional<Backend> backend(long pid, String database) {
        return ProcessStat.read(pid).map(stat -> new Backend(database, stat.startTicks(), stat.totalTicks()));
    }

    /** The work between two snapshots, per payment; the backends' ticks last {@code 1 / ticksPerSecond} s each. */
    static Table between(Snapshot start, Snapshot end, long payments, long ticksPerSecond) {
        if (payments <= 0) {
            return Table.unavailable("no payment was created");
        }
        Map<String, double[]> byDatabase = new TreeMap<>();
        long statements = 0;
        double statementMillis = 0;
        List<StatementRow> top = new ArrayList<>();
        for (Map.Entry<String, Counted> entry : end.statements().entrySet()) {
            Counted after = entry.getValue();
            Counted before = start.statements().get(entry.getKey());
            long calls = calls(start, entry);
            double millis = after.totalMillis() - (before == null ? 0 : before.totalMillis());
            if (calls <= 0) {
                continue;
            }
            statements += calls;
            statementMillis += millis;
            byDatabase.computeIfAbsent(after.database(), database -> new double[4])[0] += calls;
            top.add(new StatementRow(after.database(), oneLine(after.query()), (double) calls / payments, millis / calls));
        }
        long commits = 0;
        long rollbacks = 0;
        for (Map.Entry<String, long[]> entry : end.transactions().entrySet()) {
            long[] before = start.transactions().getOrDefault(entry.getKey(), new long[2]);
            long committed = committed(start, entry);
            long rolledBack = entry.getValue()[1] - before[1];
            commits += committed;
            rollbacks += rolledBack;
            double[] row = byDatabase.computeIfAbsent(entry.getKey(), database -> new double[4]);
            row[1] += committed;
            row[2] += rolledBack;
        }
        long backendTicks = 0;
        for (Map.Entry<Long, Backend> entry : end.backends().entrySet()) {
            long ticks = ticksSince(start, entry);
            backendTicks += ticks;
            byDatabase.computeIfAbsent(entry.getValue().database(), database -> new double[4])[3] += ticks;
        }
        List<DatabaseRow> databases = byDatabase.entrySet().stream()
                .filter(row -> row.getValue()[0] + row.getValue()[1] + row.getValue()[2] + row.getValue()[3] > 0)
                .map(row -> new DatabaseRow(row.getKey(), row.getValue()[0] / payments, row.getValue()[1] / payments,
                        row.getValue()[2] / payments, ProcessCpu.millisPerPayment((long) row.getValue()[3], ticksPerSecond,
                        payments)))
                .toList();
        top.sort(Comparator.comparingDouble(StatementRow::callsPerPayment).reversed());
        return new Table(payments, (double) statements / payments, (double) commits / payments, (double) rollbacks / payments,
                statementMillis / payments, ProcessCpu.millisPerPayment(backendTicks, ticksPerSecond, payments), databases,
                List.copyOf(top.subList(0, Math.min(TOP, top.size()))), null);
    }

    /**
     * A backend's ticks since {@code start}: all of them when it was not there then (it connected inside the
     * window), or when its pid then belonged to another process.
     */
    private static long ticksSince(Snapshot start, Map.Entry<Long, Backend> atEnd) {
        Backend before = start.backends().get(atEnd.getKey());
        Backend after = atEnd.getValue();
        boolean same = before != null && before.startTicks() == after.startTicks();
        return Math.max(0, after.ticks() - (same ? before.ticks() : 0));
    }

    /**
     * Statements and commits per second over {@code seconds} between two snapshots: the databases' work with no
     * payment to share it over.
     */
    record Rates(double statementsPerSecond, double commitsPerSecond) {
    }

    static Rates perSecond(Snapshot start, Snapshot end, double seconds) {
        long statements = 0;
        for (Map.Entry<String, Counted> entry : end.statements().entrySet()) {
            statements += Math.max(0, calls(start, entry));
        }
        long commits = 0;
        for (Map.Entry<String, long[]> entry : end.transactions().entrySet()) {
            commits += Math.max(0, committed(start, entry));
        }
        return new Rates(statements / seconds, commits / seconds);
    }

    /** A statement's calls since {@code start}: all of them when it was first run after it. */
    private static long calls(Snapshot start, Map.Entry<String, Counted> atEnd) {
        Counted before = start.statements().get(atEnd.getKey());
        return atEnd.getValue().calls() - (before == null ? 0 : before.calls());
    }

    /** A database's commits since {@code start}. */
    private static long committed(Snapshot start, Map.Entry<String, long[]> atEnd) {
        return atEnd.getValue()[0] - start.transactions().getOrDefault(atEnd.getKey(), new long[2])[0];
    }

    /** A statement's text on one line, cut to a readable length. */
    static String oneLine(String query) {
        String line = query.replaceAll("\\s+", " ").strip();
        return line.length() <= 110 ? line : line.substring(0, 107) + "...";
    }
}
