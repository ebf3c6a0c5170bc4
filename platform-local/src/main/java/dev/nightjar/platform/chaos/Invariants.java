package dev.nightjar.platform.chaos;

import dev.nightjar.contracts.contract.NetworkAnswer;
import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.PlatformClient;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after any fault, read from the platform's own databases and the acquirers' records (the
 * network's evidence, independent of Nightjar): no acknowledged payment or change lost, none left waiting
 * for an acquirer's answer, no card charged twice or charged for a payment that did not go through, the
 * money at the network equal to the money in Nightjar, and every final state announced once by webhook.
 */
final class Invariants {

    private static final int SHARDS = 2;
    private static final Set<String> WAITING = Set.of("AUTHORIZING", "PENDING", "CAPTURING", "CANCELING");

    private final Platform platform;
    private final List<String> merchantIds;

    Invariants(Platform platform, List<String> merchantIds) {
        this.platform = platform;
        this.merchantIds = List.copyOf(merchantIds);
    }

    /** A payment as its shard stores it. */
    record StoredPayment(String id, String status, long capturedMinor, long refundedMinor) {
    }

    /** A refund as its shard stores it. */
    record StoredRefund(String id, String paymentId, String status) {
    }

    /** Everything stored for the chaos merchants, read at one moment. */
    record Stored(Map<String, StoredPayment> payments, Map<String, StoredRefund> refunds) {

        boolean waiting(Observations.Ack ack) {
            if (ack.operation().equals("refund")) {
                StoredRefund refund = refunds.get(ack.objectId());
                return refund != null && refund.status().equals("PENDING");
            }
            StoredPayment payment = payments.get(ack.paymentId());
            return payment != null && WAITING.contains(payment.status());
        }
    }

    Stored stored() {
        Map<String, StoredPayment> payments = new HashMap<>();
        Map<String, StoredRefund> refunds = new HashMap<>();
        for (int shard = 0; shard < SHARDS; shard++) {
            // refunds first: a refund read as finished has its payment's amounts already (one transaction), and one
            // read as pending excuses its payment from the amount comparison however the payment then reads
            query("transaction_" + shard, "SELECT id, payment_id, status FROM refunds WHERE merchant_id = ANY(?)",
                    rs -> refunds.put(rs.getString(1), new StoredRefund(rs.getString(1), rs.getString(2), rs.getString(3))));
            query("transaction_" + shard, """
                    SELECT id, status, amount_captured_minor, amount_refunded_minor FROM payments WHERE merchant_id = ANY(?)""",
                    rs -> payments.put(rs.getString(1), new StoredPayment(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4))));
        }
        return new Stored(payments, refunds);
    }

    /** Acknowledged objects the databases do not hold, or hold in a state that contradicts the answer. */
    List<String> lost(List<Observations.Ack> acks, Stored stored) {
        List<String> lost = new ArrayList<>();
        for (Observations.Ack ack : acks) {
            if (ack.operation().equals("refund")) {
                StoredRefund refund = stored.refunds().get(ack.objectId());
                if (refund == null || (RefundStatus.of(ack.status()) == RefundStatus.SUCCEEDED
                        && RefundStatus.valueOf(refund.status()) != RefundStatus.SUCCEEDED)) {
                    lost.add("refund " + ack.objectId() + " acknowledged " + ack.status() + ", stored "
                            + (refund == null ? "nowhere" : refund.status()));
                }
                continue;
            }
            StoredPayment payment = stored.payments().get(ack.paymentId());
            // the states transaction-service stores for what the answer said (its own, finer names)
            String expected = switch (PaymentStatus.of(ack.status())) {
                case CAPTURED -> "CAPTURED|SETTLED|REFUNDED";
                case CANCELED -> "CANCELED";
                case DECLINED -> "DECLINED";
                case FAILED -> "FAILED";
                default -> null;
            };
            if (payment == null || (expected != null && !payment.status().matches(expected))) {
                lost.add(ack.operation() + " of " + ack.paymentId() + " acknowledged " + ack.status() + ", stored "
                        + (payment == null ? "nowhere" : payment.status()));
            }
        }
        return lost;
    }

    /** Acknowledged payments and refunds still waiting for an acquirer's answer. */
    static List<String> waiting(List<Observations.Ack> acks, Stored stored) {
        List<String> waiting = new ArrayList<>();
        for (Observations.Ack ack : acks) {
            if (stored.waiting(ack)) {
                waiting.add(ack.objectId());
            }
        }
        return waiting;
    }

    /** The network's evidence against Nightjar's: charged twice, charged for nothing, amounts that differ. */
    record Money(List<String> chargedTwice, List<String> chargedWithoutPayment, List<String> amountsDiffer) {
    }

    /**
     * Reads the acquirers' records first, then auth-service's attempts, then the payments: an attempt is
     * committed before its acquirer is called, so every record read has its attempt and payment in the later
     * reads, even while traffic still flows.
     */
    @SuppressWarnings("unchecked")
    Money money() throws IOException, InterruptedException {
        List<Map<String, Object>> records = new ArrayList<>();
        PlatformClient operator = new PlatformClient(platform.layout());
        for (FleetMember acquirer : List.of(FleetMember.ACQUIRER_A, FleetMember.ACQUIRER_B)) {
            for (String merchant : merchantIds) {
                String url = "https://localhost:" + platform.layout().ports().service(acquirer)
                        + "/admin/records?limit=100000&merchant_id=" + merchant;
                var response = operator.get(url, Duration.ofSeconds(30));
                if (response.statusCode() != 200) {
                    throw new IllegalStateException(acquirer.instance() + " records: HTTP " + response.statusCode());
                }
                for (Map<String, Object> record : (List<Map<String, Object>>) Json.MAPPER.readValue(response.body(), List.class)) {
                    Map<String, Object> tagged = new HashMap<>(record);
                    tagged.put("acquirer", acquirer.instance());
                    records.add(tagged);
                }
            }
        }
        Map<String, String> paymentOfReference = new HashMap<>();
        query("auth", "SELECT id, payment_id FROM acquirer_operations WHERE merchant_id = ANY(?)",
                rs -> paymentOfReference.put(rs.getString(1), rs.getString(2)));
        Stored stored = stored();
        Map<String, Integer> charges = new HashMap<>();
        Map<String, Long> capturedAtNetwork = new HashMap<>();
        Map<String, Long> refundedAtNetwork = new HashMap<>();
        Map<String, Boolean> voided = new HashMap<>();
        List<String> withoutPayment = new ArrayList<>();
        for (Map<String, Object> record : records) {
            if (NetworkAnswer.of((String) record.get("outcome")) != NetworkAnswer.APPROVED) {
                continue;
            }
            String operation = (String) record.get("operation");
            String payment = paymentOfReference.get((String) record.get("reference"));
            long amount = ((Number) record.get("amount_minor")).longValue();
            if (payment == null || !stored.payments().containsKey(payment)) {
                withoutPayment.add(record.get("acquirer") + " " + operation + " " + record.get("reference") + " for no payment");
                continue;
            }
            switch (operation) {
                case "authorization" -> charges.merge(payment, 1, Integer::sum);
                case "sale" -> {
                    charges.merge(payment, 1, Integer::sum);
                    capturedAtNetwork.merge(payment, amount, Long::sum);
                }
                case "capture" -> capturedAtNetwork.merge(payment, amount, Long::sum);
                case "refund" -> refundedAtNetwork.merge(payment, amount, Long::sum);
                case "void" -> voided.put(payment, true);
                default -> {
                    // other records move no money
                }
            }
        }
        java.util.Set<String> refunding = new java.util.HashSet<>();
        stored.refunds().values().stream().filter(refund -> refund.status().equals("PENDING"))
                .forEach(refund -> refunding.add(refund.paymentId()));
        List<String> twice = new ArrayList<>();
        List<String> differ = new ArrayList<>();
        for (StoredPayment payment : stored.payments().values()) {
            int charged = charges.getOrDefault(payment.id(), 0);
            if (charged > 1) {
                twice.add(payment.id() + " charged " + charged + " times");
            }
            if (charged > 0 && (payment.status().equals("DECLINED") || payment.status().equals("FAILED"))) {
                withoutPayment.add(payment.id() + " is " + payment.status() + " but was charged");
            }
            if (WAITING.contains(payment.status()) || refunding.contains(payment.id())) {
                continue;
            }
            long captured = capturedAtNetwork.getOrDefault(payment.id(), 0L);
            long refunded = refundedAtNetwork.getOrDefault(payment.id(), 0L);
            if (captured != payment.capturedMinor() || refunded != payment.refundedMinor()) {
                differ.add(payment.id() + " " + payment.status() + ": Nightjar captured " + payment.capturedMinor()
                        + " refunded " + payment.refundedMinor() + ", the network captured " + captured + " refunded " + refunded);
            }
            if (payment.status().equals("CANCELED") && charged > 0 && !voided.getOrDefault(payment.id(), false)) {
                differ.add(payment.id() + " CANCELED but its authorization was never released at the network");
            }
        }
        return new Money(twice, withoutPayment, differ);
    }

    /** The webhook event that announces where an object ended: a payment by its status, a refund by its own. */
    static String finalEvent(String status, boolean refund) {
        if (refund) {
            return switch (status) {
                case "SUCCEEDED" -> "refund.succeeded";
                case "FAILED" -> "refund.failed";
                default -> null;
            };
        }
        return switch (status) {
            case "AUTHORIZED" -> "payment.authorized";
            case "CAPTURED", "SETTLED", "REFUNDED" -> "payment.captured";
            case "DECLINED" -> "payment.declined";
            case "FAILED" -> "payment.failed";
            case "CANCELED" -> "payment.canceled";
            default -> null;
        };
    }

    /** Acknowledged objects whose final state no webhook announced. */
    static List<String> webhooksMissing(List<Observations.Ack> acks, Stored stored, WebhookSink sink) {
        List<String> missing = new ArrayList<>();
        for (Observations.Ack ack : acks) {
            boolean refund = ack.operation().equals("refund");
            String status = refund ? stored.refunds().containsKey(ack.objectId()) ? stored.refunds().get(ack.objectId()).status() : null
                    : stored.payments().containsKey(ack.paymentId()) ? stored.payments().get(ack.paymentId()).status() : null;
            String type = status == null ? null : finalEvent(status, refund);
            if (type != null && sink.eventIds(ack.objectId(), type).isEmpty()) {
                missing.add(ack.objectId() + " " + type);
            }
        }
        return missing;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String database, String sql, RowReader reader) {
        try (Connection connection = platform.database().connect(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", merchantIds.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read " + database + ": " + e.getMessage(), e);
        }
    }
}
