package dev.nightjar.platform.bench;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.PlatformClient;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code ./nightjar bench-settlement [N]}: how fast the ledger books and how long settlement takes, on the
 * running local platform with every service up.
 * <ol>
 *   <li>N captures of a fresh set of benchmark merchants go onto {@code payment_events} as
 *       transaction-service would publish them, and acquirer-a is told it made those captures (its bulk
 *       record import), so its settlement report has a line for each.</li>
 *   <li>The ledger drains them: entries per second, per shard and together, from the first entry to the
 *       last. Every other consumer of {@code payment_events} (risk, webhooks) runs meanwhile, as it would.</li>
 *   <li>Once settlement-service holds all N as items, the cut-off runs: batches of at most
 *       {@code nightjar.settlement.max-batch-lines} (50,000) lines, with any other item due, submitted, reported,
 *       reconciled and posted one after the other. Its wall time is the settlement figure.</li>
 * </ol>
 * The benchmark merchants' payments exist only in the ledger and settlement (not in transaction-service),
 * so {@code ./nightjar ledger check} does not hold them against payments.
 */
public final class SettlementBenchmark {

    private static final int MERCHANTS = 16;
    private static final int IMPORT_CHUNK = 20_000;

    private final Platform platform;
    private final PrintStream out;
    private final PlatformClient client;

    public SettlementBenchmark(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
        this.client = new PlatformClient(platform.layout());
    }

    public int run(int count) throws IOException, InterruptedException {
        String run = Long.toString(System.currentTimeMillis(), 36);
        List<String> merchants = new ArrayList<>();
        for (int i = 0; i < MERCHANTS; i++) {
            merchants.add("mer_bench_" + run + "_" + i);
        }
        List<PaymentEvent> captures = new ArrayList<>(count);
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String merchant = merchants.get(i % MERCHANTS);
            long amount = 500 + (i % 9_500);
            captures.add(new PaymentEvent(Ids.newId(Ids.PAYMENT), merchant, dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", amount, "EUR", 0, amount,
                    0, amount, null, "acquirer-a", "nwb_" + run + "_" + i, null, null, "visa", "4242", "fp_bench", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW,
                    now, now, null, null));
        }
        out.printf("seeding acquirer-a with %,d captures...%n", count);
        if (!seedAcquirer(captures)) {
            return 1;
        }
        out.printf("publishing %,d payment.captured events for %d merchants...%n", count, MERCHANTS);
        publish(captures);

        out.println("waiting for the ledger to book them...");
        long[] firstSeen = new long[2];
        long[] done = new long[2];
        long[] counts = new long[2];
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while ((done[0] == 0 || done[1] == 0) && System.nanoTime() < deadline) {
            for (int shard = 0; shard < 2; shard++) {
                if (done[shard] != 0) {
                    continue;
                }
                counts[shard] = entries(shard, merchants);
                long t = System.nanoTime();
                if (counts[shard] > 0 && firstSeen[shard] == 0) {
                    firstSeen[shard] = t;
                }
                if (counts[shard] > 0 && counts[shard] == expected(captures, shard)) {
                    done[shard] = t;
                }
            }
            Thread.sleep(200);
        }
        if (done[0] == 0 || done[1] == 0) {
            out.printf("the ledger booked only %d + %d entries in 30 minutes%n", counts[0], counts[1]);
            return 1;
        }
        for (int shard = 0; shard < 2; shard++) {
            double seconds = (done[shard] - firstSeen[shard]) / 1e9;
            out.printf("ledger shard %d: %,d entries in %.1f s = %,.0f entries/s%n", shard, counts[shard], seconds,
                    counts[shard] / seconds);
        }
        double all = (Math.max(done[0], done[1]) - Math.min(firstSeen[0], firstSeen[1])) / 1e9;
        out.printf("ledger, both shards: %,d entries in %.1f s = %,.0f entries/s%n", counts[0] + counts[1], all,
                (counts[0] + counts[1]) / all);

        out.println("waiting for settlement-service to hold them as items...");
        long itemsDeadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        long items = 0;
        while (System.nanoTime() < itemsDeadline && (items = settlementItems(merchants)) < count) {
            Thread.sleep(500);
        }
        if (items < count) {
            out.printf("settlement-service holds only %,d of %,d items%n", items, count);
            return 1;
        }
        out.println("running the cut-off...");
        long started = System.nanoTime();
        HttpResponse<String> cutoff = client.send(HttpRequest.newBuilder(URI.create(service(FleetMember.SETTLEMENT)
                        + "/internal/v1/cutoffs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")), Duration.ofMinutes(30));
        double batchSeconds = (System.nanoTime() - started) / 1e9;
        if (cutoff.statusCode() / 100 != 2) {
            out.println("the cut-off failed: " + cutoff.statusCode() + " " + cutoff.body());
            return 1;
        }
        out.printf("settlement cut-off for %,d payments: %.1f s (batch, submit, report, reconcile, post)%n", count,
                batchSeconds);
        out.println(cutoff.body().length() > 2_000 ? cutoff.body().substring(0, 2_000) + "..." : cutoff.body());
        return 0;
    }

    private static long expected(List<PaymentEvent> captures, int shard) {
        dev.nightjar.common.shard.ShardRouter router = new dev.nightjar.common.shard.ShardRouter(2);
        return captures.stream().filter(c -> router.shardOf(c.merchantId()) == shard).count();
    }

    private boolean seedAcquirer(List<PaymentEvent> captures) throws IOException, InterruptedException {
        for (int from = 0; from < captures.size(); from += IMPORT_CHUNK) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (PaymentEvent capture : captures.subList(from, Math.min(captures.size(), from + IMPORT_CHUNK))) {
                Map<String, Object> record = new LinkedHashMap<>();
                record.put("reference", "bench_" + capture.paymentId());
                record.put("authorization", capture.networkReference());
                record.put("operation", "capture");
                record.put("merchant_id", capture.merchantId());
                record.put("amount_minor", capture.changeAmountMinor());
                record.put("currency", capture.currency());
                records.add(record);
            }
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(service(FleetMember.ACQUIRER_A)
                            + "/admin/records")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(records))), Duration.ofMinutes(5));
            if (response.statusCode() / 100 != 2) {
                out.println("acquirer-a refused the record import: " + response.statusCode() + " " + response.body());
                return false;
            }
        }
        return true;
    }

    private void publish(List<PaymentEvent> captures) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            for (PaymentEvent capture : captures) {
                EventEnvelope<PaymentEvent> event = EventCodec.envelope(EventType.PAYMENT_CAPTURED.wire(), capture.merchantId(),
                        capture, null);
                producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), capture.merchantId(), EventCodec.encode(event)));
            }
            producer.flush();
        }
    }

    private long entries(int shard, List<String> merchants) {
        return count("ledger_" + shard, "SELECT count(*) FROM journal_entries WHERE merchant_id = ANY(?) AND kind = 'capture'",
                merchants);
    }

    private long settlementItems(List<String> merchants) {
        return count("settlement", "SELECT count(*) FROM settlement_items WHERE merchant_id = ANY(?)", merchants);
    }

    private long count(String database, String sql, List<String> merchants) {
        try (Connection connection = platform.database().connect(database);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("text", merchants.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not count in " + database + ": " + e.getMessage(), e);
        }
    }

    private String service(FleetMember member) {
        return "https://localhost:" + platform.layout().ports().service(member);
    }
}
