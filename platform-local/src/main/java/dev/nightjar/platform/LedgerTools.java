package dev.nightjar.platform;

import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./nightjar ledger check} and {@code ./nightjar settle} on the local platform.
 * <p>
 * The check runs ledger-service's integrity check (every entry balanced, every currency summing to zero,
 * every shard's hash chain intact, no event booked twice) and then holds the ledger against the payments:
 * every payment transaction-service shows as captured has exactly its captured amount in capture entries
 * and its refunded amount in refund entries. Payments still on their way through Kafka get a few seconds
 * to arrive before they count as findings. Exit status 0 only when nothing is wrong.
 */
public final class LedgerTools {

    private static final int SHARDS = 2;
    private static final int SETTLE_ATTEMPTS = 6;

    private LedgerTools() {
    }

    public static int check(Platform platform, PrintStream out) throws IOException, InterruptedException {
        PlatformClient client = new PlatformClient(platform.layout());
        String url = "https://localhost:" + platform.layout().ports().service(FleetMember.LEDGER) + "/internal/v1/integrity";
        HttpResponse<String> response = client.get(url, Duration.ofMinutes(5));
        if (response.statusCode() != 200) {
            out.println("ledger-service answered " + response.statusCode() + ": " + response.body());
            return 1;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> report = Json.MAPPER.readValue(response.body(), Map.class);
        out.println("Ledger integrity");
        for (Object shardReport : (List<?>) report.get("shards")) {
            Map<?, ?> shard = (Map<?, ?>) shardReport;
            out.printf("  shard %s: %s entries, hash chain to sequence %s, %s accounts, postings by currency %s%n",
                    shard.get("shard"), shard.get("entries"), shard.get("last_sequence"), shard.get("accounts"),
                    shard.get("posting_totals"));
        }
        out.println("  all shards: postings by currency " + report.get("totals_by_currency")
                + (Boolean.TRUE.equals(report.get("ok")) ? " (every currency sums to zero)" : ""));
        List<String> findings = new ArrayList<>();
        ((List<?>) report.get("findings")).forEach(finding -> findings.add(String.valueOf(finding)));
        List<String> payments = paymentFindings(platform, out);
        findings.addAll(payments);
        if (findings.isEmpty()) {
            out.println("OK: every entry balanced, every currency sums to zero, hash chains intact, "
                    + "every captured payment's money in exactly one entry");
            return 0;
        }
        out.println("FAILED: " + findings.size() + " finding(s)");
        findings.forEach(finding -> out.println("  - " + finding));
        return 1;
    }

    /** Payments whose captured or refunded amounts the ledger does not show exactly; retried while in flight. */
    private static List<String> paymentFindings(Platform platform, PrintStream out) throws InterruptedException {
        List<String> findings = List.of();
        long checked = 0;
        for (int attempt = 0; attempt < SETTLE_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                Thread.sleep(5_000);
            }
            findings = new ArrayList<>();
            checked = 0;
            for (int shard = 0; shard < SHARDS; shard++) {
                checked += shardFindings(platform, shard, findings);
            }
            if (findings.isEmpty()) {
                break;
            }
        }
        out.println("Payments: " + checked + " captured payments held against their entries");
        return findings;
    }

    /** Captured payments, in payment id order (bytewise, as {@link String#compareTo} orders ASCII ids). */
    private static final String CAPTURED = """
            SELECT id, amount_captured_minor, amount_refunded_minor FROM payments WHERE amount_captured_minor > 0
            ORDER BY id COLLATE "C\"""";

    /**
     * The acquirer receivable side of capture and refund entries, which every version of the ledger has written
     * (debited by captures, credited by refunds), per payment in the same order.
     */
    private static final String BOOKED = """
            SELECT e.payment_id,
                   coalesce(sum(p.amount) FILTER (WHERE e.kind = 'capture'), 0),
                   coalesce(-sum(p.amount) FILTER (WHERE e.kind = 'refund'), 0)
            FROM journal_entries e, unnest(e.posting_accounts, e.posting_amounts) AS p(account, amount)
            WHERE e.kind IN ('capture', 'refund') AND p.account LIKE 'acquirer_receivable:%'
            GROUP BY e.payment_id
            ORDER BY e.payment_id COLLATE "C\"""";

    /**
     * One shard's captured payments held against its ledger, both read in payment id order through cursors and
     * merged: a shard of millions of payments is checked in the memory of a few thousand rows. Returns how many
     * payments it checked; adds a finding for each that differs.
     */
    private static long shardFindings(Platform platform, int shard, List<String> findings) {
        try (Connection transactions = platform.database().connect("transaction_" + shard);
             Connection ledger = platform.database().connect("ledger_" + shard)) {
            // PostgreSQL's driver fetches by cursor only inside a transaction
            transactions.setAutoCommit(false);
            ledger.setAutoCommit(false);
            try (Statement captured = transactions.createStatement(); Statement booked = ledger.createStatement()) {
                captured.setFetchSize(FETCH_SIZE);
                booked.setFetchSize(FETCH_SIZE);
                try (ResultSet want = captured.executeQuery(CAPTURED); ResultSet got = booked.executeQuery(BOOKED)) {
                    long checked = 0;
                    Amounts entries = Amounts.next(got);
                    for (Amounts payment = Amounts.next(want); payment != null; payment = Amounts.next(want)) {
                        while (entries != null && entries.paymentId().compareTo(payment.paymentId()) < 0) {
                            entries = Amounts.next(got);
                        }
                        Amounts ledgered = entries != null && entries.paymentId().equals(payment.paymentId())
                                ? entries : new Amounts(payment.paymentId(), 0, 0);
                        checked++;
                        if (payment.captured() != ledgered.captured() || payment.refunded() != ledgered.refunded()) {
                            findings.add("payment " + payment.paymentId() + " captured " + payment.captured()
                                    + " and refunded " + payment.refunded() + " but the ledger has " + ledgered.captured()
                                    + " in captures and " + ledgered.refunded() + " in refunds");
                        }
                    }
                    return checked;
                }
            } finally {
                transactions.rollback();
                ledger.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not hold shard " + shard + "'s payments against its ledger: "
                    + e.getMessage(), e);
        }
    }

    private static final int FETCH_SIZE = 5_000;

    /** A payment's captured and refunded amounts, as one side or the other sees them. */
    private record Amounts(String paymentId, long captured, long refunded) {

        static Amounts next(ResultSet rows) throws SQLException {
            return rows.next() ? new Amounts(rows.getString(1), rows.getLong(2), rows.getLong(3)) : null;
        }
    }

    /** Runs the settlement cut-off now and prints each batch with its reconciliation outcome. */
    public static int settle(Platform platform, PrintStream out) throws IOException, InterruptedException {
        PlatformClient client = new PlatformClient(platform.layout());
        String base = "https://localhost:" + platform.layout().ports().service(FleetMember.SETTLEMENT);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/internal/v1/cutoffs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), Duration.ofMinutes(10));
        Object body = Json.MAPPER.readValue(response.body(), Object.class);
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(body));
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }
}
