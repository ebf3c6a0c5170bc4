package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.pki.TlsContexts;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestHttp;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A card number never leaves the vault: after payments with every test card (and requests the gateway
 * refuses), no log line, Kafka record, database row, metric or trace of the running fleet holds one, raw
 * or with separators. Only the vault's ciphertext column is not read.
 */
@ExtendWith(Fleet.class)
class NoCardNumberLeaksEndToEndIT {

    /** Every test card of API.md. */
    static final List<String> TEST_CARDS = List.of(
            "4242424242424242", "5555555555554444", "378282246310005",
            "4000000000000002", "4000000000009995", "4000000000009987", "4000000000009979",
            "4000000000000069", "4000000000000127", "4000000000000119", "4000000000000259",
            "4000000000004954", "4100000000000019");

    private static MerchantClient client;
    private static final List<String> paymentIds = new ArrayList<>();

    @BeforeAll
    static void payWithEveryTestCard() {
        client = new MerchantClient(Fleet.running());
        for (String card : TEST_CARDS) {
            HttpResponse<String> response = client.post("/v1/payments", MerchantClient.cardPayment(1234, card),
                    "leak-" + paymentIds.size());
            assertThat(response.statusCode()).as(card + ": " + response.body()).isEqualTo(201);
            paymentIds.add((String) MerchantClient.json(response.body()).get("id"));
        }
        // Requests the gateway refuses, with card numbers where they do not belong.
        client.post("/v1/payments", MerchantClient.cardPayment(1234, "4242 4242 4242 4242"), null);
        client.post("/v1/payments", "{\"amount\": 5, \"currency\": \"EUR\", \"description\": \"card 5555-5555-5555-4444\","
                + " \"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"4242424242424242\", \"exp_month\": 1, \"exp_year\": 2031}}}", null);
        client.post("/v1/payments", "{\"amount\": \"4000000000009995\"}", null);
        // a card number as Idempotency-Key is accepted, and kept (here and behind) only as a keyed hash
        assertThat(client.post("/v1/payments", MerchantClient.cardPayment(1234, "4242424242424242"),
                "order-4000000000000002").statusCode()).as("a card number as Idempotency-Key").isEqualTo(201);
        // The asynchronous side has caught up once the last captured payment is in the ledger.
        String captured = paymentIds.get(0);
        Await.until("the ledger entry of " + captured, Duration.ofSeconds(60), () -> client.operatorGet(FleetMember.LEDGER,
                "/internal/v1/entries?merchant_id=" + client.merchantId() + "&payment_id=" + captured).body().contains(captured));
    }

    /** Where any form of any test card appears in {@code text}, described with {@code where}. */
    static List<String> leaks(String where, String text) {
        return CardNumberScan.leaks(where, text, TEST_CARDS);
    }

    @Test
    void noLogFileHoldsACardNumber() throws IOException {
        Platform platform = Fleet.running().platform();
        List<String> found = new ArrayList<>();
        StringBuilder everything = new StringBuilder();
        Path root = platform.layout().logs();
        // every file below logs/, the services' GC logs (logs/gc/) included
        try (Stream<Path> logs = Files.walk(root)) {
            for (Path log : logs.filter(Files::isRegularFile).toList()) {
                String content = Files.readString(log, StandardCharsets.ISO_8859_1);
                found.addAll(leaks(root.relativize(log).toString(), content));
                everything.append(content);
            }
        }
        assertThat(found).isEmpty();
        // Positive controls: the scan read the services' logs, spans included.
        assertThat(everything).contains("\"service\":\"gateway-service\"").contains("\"service\":\"vault-service\"")
                .as("the GC logs are read too").contains("Pause Young");
        assertThat(everything.toString()).as("spans are logged").contains("http post /internal/v1/tokens");
    }

    @Test
    void noKafkaRecordHoldsACardNumber() {
        Platform platform = Fleet.running().platform();
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka().bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        List<String> found = new ArrayList<>();
        StringBuilder everything = new StringBuilder();
        try (Admin admin = platform.kafka().admin();
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                     new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : admin.listTopics().names().get()) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            Await.until("every record of every topic", Duration.ofSeconds(60), () -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    StringBuilder text = new StringBuilder();
                    text.append(record.key() == null ? "" : new String(record.key(), StandardCharsets.ISO_8859_1));
                    text.append(record.value() == null ? "" : new String(record.value(), StandardCharsets.ISO_8859_1));
                    for (Header header : record.headers()) {
                        text.append(header.key()).append(new String(header.value(), StandardCharsets.ISO_8859_1));
                    }
                    found.addAll(leaks(record.topic() + "@" + record.offset(), text.toString()));
                    everything.append(text);
                }
                return ends.entrySet().stream().allMatch(end -> consumer.position(end.getKey()) >= end.getValue());
            });
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(found).isEmpty();
        assertThat(everything.toString()).as("the scan read payment events").contains(paymentIds.get(0));
    }

    @Test
    void noDatabaseRowOutsideTheVaultsCiphertextHoldsACardNumber() throws Exception {
        Platform platform = Fleet.running().platform();
        List<String> found = new ArrayList<>();
        StringBuilder everything = new StringBuilder();
        // every database of every cluster: one server, or the Patroni clusters of HA mode
        List<String> databases = platform.database().clusters().stream()
                .flatMap(cluster -> cluster.databases().stream()).toList();
        for (String database : databases) {
            try (Connection connection = platform.database().connect(database);
                 Statement statement = connection.createStatement()) {
                List<String[]> tables = new ArrayList<>();
                try (ResultSet rows = statement.executeQuery("""
                        SELECT table_schema, table_name FROM information_schema.tables
                        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
                    while (rows.next()) {
                        tables.add(new String[] {rows.getString(1), rows.getString(2)});
                    }
                }
                for (String[] table : tables) {
                    String columns = columns(connection, table[0], table[1], database);
                    if (columns.isEmpty()) {
                        continue;
                    }
                    try (ResultSet rows = statement.executeQuery("SELECT concat_ws(' ', " + columns + ") FROM "
                            + quote(table[0]) + "." + quote(table[1]))) {
                        while (rows.next()) {
                            String row = rows.getString(1);
                            if (row != null) {
                                found.addAll(leaks(database + "." + table[1], row));
                                everything.append(row);
                            }
                        }
                    }
                }
            }
        }
        assertThat(found).isEmpty();
        assertThat(databases).contains("vault", "transaction_0", "transaction_1", "ledger_0", "gateway");
        assertThat(everything.toString()).as("the scan read the payments").contains(paymentIds.get(0))
                .as("and the vault's card rows").contains("4242");
    }

    @Test
    void noMetricHoldsACardNumber() {
        Platform platform = Fleet.running().platform();
        TestHttp http = TestHttp.withTls("", TlsContexts.forWorkload(platform.layout().tls(), null));
        List<String> found = new ArrayList<>();
        for (FleetMember member : FleetMember.values()) {
            String url = "https://localhost:" + platform.layout().ports().management(member) + "/actuator/prometheus";
            String metrics = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).GET(), Map.of()).body();
            assertThat(metrics).as(member + " exports metrics").contains("jvm_memory_used_bytes");
            found.addAll(leaks(member.instance() + " metrics", metrics));
        }
        assertThat(found).isEmpty();
    }

    /** Every column of the table as text, except the vault's card ciphertext. */
    private static String columns(Connection connection, String schema, String table, String database) throws Exception {
        List<String> columns = new ArrayList<>();
        try (var query = connection.prepareStatement(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            query.setString(1, schema);
            query.setString(2, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String column = rows.getString(1);
                    boolean vaultCiphertext = database.equals("vault") && table.equals("card_tokens") && column.equals("pan_ciphertext");
                    if (!vaultCiphertext) {
                        columns.add(quote(column) + "::text");
                    }
                }
            }
        }
        return String.join(", ", columns);
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
