package dev.nightjar.platform.incident;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.postgres.PlatformDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records of the {@code audit_log} tables (common-lib's {@code AuditLog}) of every service database that has
 * one (the gateway's and the vault's today; found by looking, so a new one is read too). With a payment in
 * focus only records whose subject or details name the payment, or whose subject is its merchant.
 */
final class AuditReader {

    static final int LIMIT = 200;
    private static final int FETCH_SIZE = 500;
    private static final int QUERY_TIMEOUT_SECONDS = 30;
    private static final int MAX_DETAILS_CHARS = 300;

    private AuditReader() {
    }

    static Readout read(PlatformDatabase databases, TimeWindow window, Focus focus) {
        EntryBudget budget = new EntryBudget(LIMIT);
        // database names by the error that kept them unread: one line when the whole server is away
        Map<String, List<String>> unread = new LinkedHashMap<>();
        for (FleetMember member : FleetMember.values()) {
            for (String database : member.databases()) {
                try (Connection connection = databases.connect(database)) {
                    if (hasAuditLog(connection)) {
                        readDatabase(connection, member.instance(), window, focus, budget);
                    }
                } catch (SQLException e) {
                    unread.computeIfAbsent(String.valueOf(e.getMessage()), message -> new ArrayList<>()).add(database);
                }
            }
        }
        Readout readout = Readout.of(Entry.Source.AUDIT, budget, "audit records");
        if (unread.isEmpty()) {
            return readout;
        }
        List<String> failures = new ArrayList<>();
        unread.forEach((message, names) -> failures.add(String.join(", ", names) + " (" + message + ")"));
        return readout.withNote("not read: " + String.join("; ", failures), true);
    }

    private static boolean hasAuditLog(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT to_regclass('public.audit_log') IS NOT NULL");
             ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static void readDatabase(Connection connection, String component, TimeWindow window, Focus focus,
                                     EntryBudget budget) throws SQLException {
        String sql = "SELECT seq, at, actor, action, subject, merchant_id, details FROM audit_log WHERE at >= ? AND at <= ?"
                + (focus.hasPayment() ? " AND (subject = ? OR strpos(details, ?) > 0 OR subject = ?)" : "")
                + " ORDER BY seq";
        // A cursor (autocommit off, a fetch size) streams the rows instead of holding them all
        connection.setAutoCommit(false);
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setFetchSize(FETCH_SIZE);
            statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
            statement.setTimestamp(1, Timestamp.from(window.from()));
            statement.setTimestamp(2, Timestamp.from(window.to()));
            if (focus.hasPayment()) {
                statement.setString(3, focus.paymentId());
                statement.setString(4, focus.paymentId());
                // No merchant known: a subject never equals the empty string
                statement.setString(5, focus.merchantId() == null ? "" : focus.merchantId());
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Entry entry = entry(component, rs.getLong("seq"), rs.getTimestamp("at").toInstant(), rs.getString("actor"),
                            rs.getString("action"), rs.getString("subject"), rs.getString("merchant_id"), rs.getString("details"));
                    budget.add(entry, entry.details().get("action"));
                }
            }
        } finally {
            connection.rollback();
        }
    }

    static Entry entry(String component, long seq, Instant at, String actor, String action, String subject,
                       String merchantId, String details) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("seq", Long.toString(seq));
        fields.put("actor", actor);
        fields.put("action", action);
        fields.put("subject", subject);
        fields.put("merchant_id", merchantId);
        fields.put("details", details);
        String shownDetails = details == null || details.equals("{}") ? ""
                : " " + (details.length() <= MAX_DETAILS_CHARS ? details : details.substring(0, MAX_DETAILS_CHARS) + "...");
        return new Entry(at, Entry.Source.AUDIT, component, null, action + (subject == null ? "" : " " + subject) + " by " + actor
                + (merchantId == null ? "" : " for " + merchantId) + shownDetails, null, fields);
    }
}
