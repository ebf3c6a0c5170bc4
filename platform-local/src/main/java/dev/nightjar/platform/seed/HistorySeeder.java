package dev.nightjar.platform.seed;

import dev.nightjar.common.shard.ShardRouter;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.postgres.PlatformDatabase;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./nightjar seed}: writes a history of past payments ({@link HistoryGenerator}) straight into the
 * services' own databases, through their real schemas, so that benchmarks run against a platform that has been
 * live for months: transaction-service's payments, idempotency keys and refunds on each merchant's shard; the
 * ledger's journal entries (holds, captures, refunds, settlements, payouts), chained onto each shard's hash chain
 * from its current head, with account balances, authorization holds and its processed events; risk-service's
 * decision log and feature state. No outbox rows: the history counts as published.
 *
 * <p>It needs the platform's PostgreSQL with the services' schemas (any {@code ./nightjar up} made them); the
 * services may run meanwhile: appends lock the chain head as the ledger's do. Each batch is one transaction per
 * database; an interrupted run leaves whole batches behind, which the ledger check holds against each other.
 * Every run writes a history of its own (its ids carry the run's time), so a second run adds to the first.
 */
public final class HistorySeeder {

    /** What a run wrote. */
    public record Result(long payments, long refunds, long entries, long decisions, long rows, Duration elapsed) {
        public double rowsPerSecond() {
            return rows / Math.max(0.001, elapsed.toNanos() / 1e9);
        }
    }

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final String PAYMENTS = """
            payments (id, created_at, merchant_id, status, capture_method, amount_minor, currency, amount_capturable_minor,
            amount_captured_minor, amount_refunded_minor, amount_refunding_minor, token, card_brand, card_bin, card_last4,
            card_exp_month, card_exp_year, card_fingerprint, risk_score, risk_decision, risk_reasons, risk_fallback, acquirer,
            network_reference, authorization_code, failure_code, decline_code, failure_message, reference, description,
            metadata, idempotency_key, updated_at, version)""";
    private static final String REFUNDS = """
            refunds (id, created_at, payment_id, merchant_id, amount_minor, currency, reason, status, failure_reason,
            network_reference, idempotency_key, updated_at)""";
    private static final String DECISIONS = """
            risk_decisions (payment_id, merchant_id, score, decision, reasons, amount_minor, currency, decided_at, card_bin,
            card_last4, customer_ip, ip_country, card_country)""";

    private final PlatformDatabase database;
    private final PrintStream out;

    public HistorySeeder(PlatformDatabase database, PrintStream out) {
        this.database = database;
        this.out = out;
    }

    /** Connections to every database the seed writes, each in a transaction of its own. */
    private record Databases(List<Connection> transaction, List<Connection> ledger, Connection risk) implements AutoCloseable {
        List<Connection> all() {
            List<Connection> all = new ArrayList<>(transaction);
            all.addAll(ledger);
            all.add(risk);
            return all;
        }

        @Override
        public void close() throws SQLException {
            SQLException failure = null;
            for (Connection connection : all()) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    failure = e;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** Running totals, for progress and the result. */
    private static final class Counts {
        long payments;
        long refunds;
        long entries;
        long decisions;
        long rows;
        final long[] entriesByShard;

        Counts(int shards) {
            entriesByShard = new long[shards];
        }
    }

    public Result run(SeedOptions options) throws SQLException {
        List<String> transactionShards = FleetMember.TRANSACTION.databases();
        List<String> ledgerShards = FleetMember.LEDGER.databases();
        if (transactionShards.size() != ledgerShards.size()) {
            throw new IllegalStateException("transaction and ledger shards differ in number: " + transactionShards + ", " + ledgerShards);
        }
        long started = System.nanoTime();
        try (Databases databases = open(transactionShards, ledgerShards)) {
            prepare(databases, transactionShards, ledgerShards, options);
            HistoryGenerator generator = new HistoryGenerator(options, transactionShards.size());
            Settlements settlements = new Settlements(options.seed(), generator.latest());
            RiskState risk = new RiskState(options.until());
            Counts counts = new Counts(transactionShards.size());
            out.printf("seeding %,d payments of %d merchants from %s to %s (seed %d), %,d per transaction%n",
                    options.payments(), options.merchants(), options.from(), options.until(), options.seed(), options.batchSize());
            long lastProgress = started;
            for (int from = 0; from < options.payments(); from += options.batchSize()) {
                writeBatch(databases, generator, from, Math.min(options.payments(), from + options.batchSize()), settlements,
                        risk, counts);
                if (System.nanoTime() - lastProgress >= PROGRESS_EVERY.toNanos() || counts.payments == options.payments()) {
                    lastProgress = System.nanoTime();
                    progress(counts, options.payments(), started);
                }
            }
            long before = counts.entries;
            writeSettlements(databases, settlements, options.batchSize(), counts);
            out.printf("  %,d settlement and payout entries%n", counts.entries - before);
            long riskRows = risk.write(databases.risk());
            counts.rows += riskRows;
            out.printf("  %,d rows of risk feature state%n", riskRows);
            Result result = new Result(counts.payments, counts.refunds, counts.entries, counts.decisions, counts.rows,
                    Duration.ofNanos(System.nanoTime() - started));
            summary(databases, ledgerShards, counts, result);
            settle(databases);
            return result;
        }
    }

    private Databases open(List<String> transactionShards, List<String> ledgerShards) throws SQLException {
        List<Connection> transaction = new ArrayList<>();
        List<Connection> ledger = new ArrayList<>();
        try {
            for (String shard : transactionShards) {
                transaction.add(transactional(database.connect(shard)));
            }
            for (String shard : ledgerShards) {
                ledger.add(transactional(database.connect(shard)));
            }
            return new Databases(transaction, ledger, transactional(database.connect(FleetMember.RISK.databases().get(0))));
        } catch (SQLException | RuntimeException e) {
            for (Connection connection : transaction) {
                connection.close();
            }
            for (Connection connection : ledger) {
                connection.close();
            }
            throw e;
        }
    }

    private static Connection transactional(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
        return connection;
    }

    /** Refuses without the services' schemas; makes the monthly partitions the history falls into. */
    private void prepare(Databases databases, List<String> transactionShards, List<String> ledgerShards, SeedOptions options)
            throws SQLException {
        for (int shard = 0; shard < transactionShards.size(); shard++) {
            requireTable(databases.transaction().get(shard), transactionShards.get(shard), "payments");
            requireTable(databases.ledger().get(shard), ledgerShards.get(shard), "ledger_chain");
            int made = ensurePartitions(databases.transaction().get(shard), FleetMember.TRANSACTION.ownerRole(),
                    List.of("payments", "refunds"), options)
                    + ensurePartitions(databases.ledger().get(shard), FleetMember.LEDGER.ownerRole(),
                    List.of("journal_entries"), options);
            if (made > 0) {
                out.printf("made %d monthly partitions on %s and %s%n", made, transactionShards.get(shard), ledgerShards.get(shard));
            }
        }
        requireTable(databases.risk(), FleetMember.RISK.databases().get(0), "risk_feature_buckets");
    }

    private static void requireTable(Connection connection, String database, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                if (!rows.getBoolean(1)) {
                    throw new IllegalStateException(database + " has no " + table
                            + " table: start the platform once (./nightjar up) so its services create their schemas");
                }
            }
        }
        connection.commit();
    }

    /**
     * Monthly partitions from the history's first month to its last, named and bounded as the schema's
     * {@code ensure_monthly_partitions} makes them (which looks one month back only), owned by the service's owner
     * role as those are.
     */
    static int ensurePartitions(Connection connection, String ownerRole, List<String> tables, SeedOptions options)
            throws SQLException {
        int made = 0;
        YearMonth last = YearMonth.from(options.until().atOffset(ZoneOffset.UTC));
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE " + ownerRole);
            for (YearMonth month = YearMonth.from(options.from().atOffset(ZoneOffset.UTC)); !month.isAfter(last);
                 month = month.plusMonths(1)) {
                for (String table : tables) {
                    String partition = String.format("%s_%04d_%02d", table, month.getYear(), month.getMonthValue());
                    if (exists(connection, partition)) {
                        continue;
                    }
                    statement.execute("CREATE TABLE " + partition + " PARTITION OF " + table + " FOR VALUES FROM ('"
                            + month.atDay(1) + " 00:00:00+00') TO ('" + month.plusMonths(1).atDay(1) + " 00:00:00+00')");
                    made++;
                }
            }
            statement.execute("RESET ROLE");
        }
        connection.commit();
        return made;
    }

    private static boolean exists(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void writeBatch(Databases databases, HistoryGenerator generator, int from, int to, Settlements settlements,
                                   RiskState risk, Counts counts) throws SQLException {
        int shards = databases.transaction().size();
        List<List<SeedPayment>> payments = new ArrayList<>(shards);
        List<List<SeedEntry>> entries = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            payments.add(new ArrayList<>());
            entries.add(new ArrayList<>());
        }
        for (int index = from; index < to; index++) {
            SeedPayment payment = generator.payment(index);
            payments.get(payment.merchant().shard()).add(payment);
            entries.get(payment.merchant().shard()).addAll(generator.entries(index, payment));
            settlements.add(payment);
            risk.add(payment);
        }
        for (int shard = 0; shard < shards; shard++) {
            counts.rows += writePayments(databases.transaction().get(shard), payments.get(shard), counts);
            append(databases, shard, entries.get(shard), payments.get(shard), counts);
        }
        counts.rows += writeDecisions(databases.risk(), payments);
        counts.payments += to - from;
        counts.decisions += to - from;
    }

    private static long writePayments(Connection connection, List<SeedPayment> payments, Counts counts) throws SQLException {
        CopyRows rows = new CopyRows(PAYMENTS);
        CopyRows keys = new CopyRows("payment_keys (merchant_id, idempotency_key, payment_id, created_at)");
        CopyRows refunds = new CopyRows(REFUNDS);
        CopyRows refundKeys = new CopyRows("refund_keys (merchant_id, idempotency_key, refund_id, created_at)");
        for (SeedPayment payment : payments) {
            paymentRow(rows, payment);
            if (payment.idempotencyKey() != null) {
                keys.text(payment.merchant().id()).text(payment.idempotencyKey()).text(payment.id()).time(payment.createdAt()).endRow();
            }
            for (SeedRefund refund : payment.refunds()) {
                refunds.text(refund.id()).time(refund.createdAt()).text(payment.id()).text(payment.merchant().id())
                        .number(refund.amountMinor()).text(payment.currency()).text(refund.reason()).text("SUCCEEDED").text(null)
                        .text(refund.networkReference()).text(refund.idempotencyKey()).time(refund.updatedAt()).endRow();
                if (refund.idempotencyKey() != null) {
                    refundKeys.text(payment.merchant().id()).text(refund.idempotencyKey()).text(refund.id())
                            .time(refund.createdAt()).endRow();
                }
            }
        }
        long written = rows.copy(connection) + keys.copy(connection) + refunds.copy(connection) + refundKeys.copy(connection);
        connection.commit();
        counts.refunds += refunds.rows();
        return written;
    }

    private static void paymentRow(CopyRows rows, SeedPayment payment) {
        SeedPayment.Card card = payment.card();
        SeedPayment.Risk risk = payment.risk();
        SeedPayment.Authorization authorization = payment.authorization();
        SeedPayment.Failure failure = payment.failure();
        rows.text(payment.id()).time(payment.createdAt()).text(payment.merchant().id()).text(payment.status())
                .text(payment.manualCapture() ? "MANUAL" : "AUTOMATIC").number(payment.amountMinor()).text(payment.currency())
                .number(payment.capturableMinor()).number(payment.capturedMinor()).number(payment.refundedMinor()).number(0)
                .text(payment.token()).text(card.brand()).text(card.bin()).text(card.last4()).number(card.expMonth())
                .number(card.expYear()).text(card.fingerprint())
                .number(risk.score()).text(risk.decision()).textArray(risk.reasons()).bool(false)
                .text(authorization == null ? null : authorization.acquirer())
                .text(authorization == null ? null : authorization.networkReference())
                .text(authorization == null ? null : authorization.authorizationCode())
                .text(failure == null ? null : failure.code()).text(failure == null ? null : failure.declineCode())
                .text(failure == null ? null : failure.message())
                .text(payment.reference()).text(null).text("{}").text(payment.idempotencyKey()).time(payment.updatedAt())
                .number(payment.version()).endRow();
    }


    private static void append(Databases databases, int shard, List<SeedEntry> entries, List<SeedPayment> payments,
                               Counts counts) throws SQLException {
        JournalAppends.Appended appended = JournalAppends.append(databases.ledger().get(shard), entries, payments);
        counts.rows += appended.rows();
        counts.entries += appended.entries();
        counts.entriesByShard[shard] += appended.entries();
    }

    private static long writeDecisions(Connection risk, List<List<SeedPayment>> byShard) throws SQLException {
        CopyRows decisions = new CopyRows(DECISIONS);
        for (List<SeedPayment> payments : byShard) {
            for (SeedPayment payment : payments) {
                SeedPayment.Risk decision = payment.risk();
                decisions.text(payment.id()).text(payment.merchant().id()).number(decision.score()).text(decision.decision())
                        .textArray(decision.reasons()).number(payment.amountMinor()).text(payment.currency())
                        .time(decision.decidedAt()).text(payment.card().bin()).text(payment.card().last4())
                        .text(decision.customerIp()).text(decision.ipCountry()).text(payment.card().country()).endRow();
            }
        }
        long written = decisions.copy(risk);
        risk.commit();
        return written;
    }

    /** The settlement and payout entries, per shard, in chunks of whole settlement batches (an event's entries together). */
    private static void writeSettlements(Databases databases, Settlements settlements, int chunk, Counts counts)
            throws SQLException {
        int shards = databases.ledger().size();
        ShardRouter router = new ShardRouter(shards);
        List<List<SeedEntry>> pending = new ArrayList<>(shards);
        for (int shard = 0; shard < shards; shard++) {
            pending.add(new ArrayList<>());
        }
        settlements.entries(batch -> {
            batch.forEach(entry -> pending.get(router.shardOf(entry.merchantId())).add(entry));
            flush(databases, pending, chunk, counts);
        });
        flush(databases, pending, 1, counts);
    }

    private static void flush(Databases databases, List<List<SeedEntry>> pending, int atLeast, Counts counts)
            throws SQLException {
        for (int shard = 0; shard < pending.size(); shard++) {
            if (!pending.get(shard).isEmpty() && pending.get(shard).size() >= atLeast) {
                append(databases, shard, pending.get(shard), List.of(), counts);
                pending.get(shard).clear();
            }
        }
    }

    private void progress(Counts counts, int total, long started) {
        double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
        out.printf("  %,d of %,d payments, %,d refunds, %,d journal entries: %,.0f payments/s, %,.0f rows/s%n",
                counts.payments, total, counts.refunds, counts.entries, counts.payments / seconds, counts.rows / seconds);
    }

    /**
     * Leaves the history as a platform live for months holds it, not as a bulk load does: every seeded database
     * vacuumed and analyzed (visibility map and hint bits set, the planner's statistics current) and the written
     * pages checkpointed. Left to autovacuum, that work ran through the first minutes of a benchmark after the
     * seed, PostgreSQL spending 10-13 ms per payment where it spends 7-8 (docs/performance.md, "A history that has
     * settled").
     */
    private void settle(Databases databases) throws SQLException {
        long started = System.nanoTime();
        List<Connection> all = databases.all();
        for (Connection connection : all) {
            connection.commit();
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("VACUUM (ANALYZE)");
            }
        }
        try (Statement statement = all.get(0).createStatement()) {
            statement.execute("CHECKPOINT");
        }
        out.printf("vacuumed and analyzed the %d seeded databases and checkpointed in %.1f s%n", all.size(),
                (System.nanoTime() - started) / 1e9);
    }

    private void summary(Databases databases, List<String> ledgerShards, Counts counts, Result result) throws SQLException {
        for (int shard = 0; shard < ledgerShards.size(); shard++) {
            LedgerChain.Head head = JournalAppends.head(databases.ledger().get(shard));
            databases.ledger().get(shard).commit();
            out.printf("  %s: %,d entries appended, its chain now ends at sequence %,d%n", ledgerShards.get(shard),
                    counts.entriesByShard[shard], head.sequence());
        }
        out.printf("seeded %,d payments, %,d refunds, %,d journal entries, %,d risk decisions: %,d rows in %.1f s = %,.0f rows/s%n",
                result.payments(), result.refunds(), result.entries(), result.decisions(), result.rows(),
                result.elapsed().toNanos() / 1e9, result.rowsPerSecond());
    }
}
