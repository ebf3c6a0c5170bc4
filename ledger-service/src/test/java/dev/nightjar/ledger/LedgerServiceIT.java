package dev.nightjar.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LedgerServiceIT {

    private static List<dev.nightjar.testsupport.TestPostgres.TestDatabase> shardDatabases;
    private static KafkaProducer<String, byte[]> producer;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        shardDatabases = ServiceTestEnvironment.shards(registry, "ledger", "ledger", 2);
        ServiceTestEnvironment.kafka(registry);
    }

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void closeProducer() {
        producer.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    Shards shards;

    private static EventEnvelope<PaymentEvent> captured(String merchant, String paymentId, long amount) {
        PaymentEvent payment = new PaymentEvent(paymentId, merchant, dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", amount, "EUR", 0, amount, 0,
                amount, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW, Instant.now(), Instant.now(), null, null);
        return new EventEnvelope<>(Ids.newId(Ids.EVENT), "payment.captured", 1, Instant.now(), merchant, null, payment);
    }

    private static void publish(EventEnvelope<PaymentEvent> event) throws Exception {
        producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), event.key(), EventCodec.encode(event))).get();
    }

    private long entries(String merchant, String paymentId) {
        return shards.forMerchant(merchant).jdbc()
                .sql("SELECT count(*) FROM journal_entries WHERE payment_id = :p").param("p", paymentId)
                .query(Long.class).single();
    }

    @Test
    void capturedPaymentBecomesOneBalancedEntryAndMovesBalances() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l1", paymentId, 1999));
        Await.until("the journal entry", Duration.ofSeconds(30), () -> entries("mer_l1", paymentId) == 1);
        String body = new TestHttp("https://localhost:" + port, Identities.OPERATOR)
                .get("/internal/v1/entries?merchant_id=mer_l1&payment_id=" + paymentId).body();
        assertThat(body).contains("\"amount_minor\":1999").contains("\"amount_minor\":-1971").contains("\"amount_minor\":-28");
        String balances = new TestHttp("https://localhost:" + port, Identities.OPERATOR)
                .get("/internal/v1/balances?merchant_id=mer_l1").body();
        assertThat(balances).contains("\"account\":\"merchant_payable:mer_l1:EUR\"").contains("\"balance_minor\":-1971");
    }

    @Test
    void sameEventDeliveredTwiceMakesOneEntry() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        EventEnvelope<PaymentEvent> event = captured("mer_l2", paymentId, 500);
        publish(event);
        publish(event);
        String marker = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l2", marker, 1));
        Await.until("the marker entry after the duplicate", Duration.ofSeconds(30), () -> entries("mer_l2", marker) == 1);
        assertThat(entries("mer_l2", paymentId)).isEqualTo(1L);
    }

    @Test
    void databaseRefusesAnUnbalancedEntry() {
        assertThatThrownBy(() -> shards.get(0).jdbc().sql("""
                INSERT INTO journal_entries (id, created_at, merchant_id, kind, source_event_id, description,
                    posting_accounts, posting_currencies, posting_amounts, sequence, previous_hash, entry_hash)
                VALUES ('je_bad', now(), 'mer_x', 'test', 'evt_bad', 'bad',
                    '{a:x:EUR,b:x:EUR}', '{EUR,EUR}', '{100,-99}', 0, '\\x00', '\\x00')""").update())
                .hasMessageContaining("journal_entry_balanced");
    }

    @Test
    void runtimeRoleCannotChangeOrRemoveEntries() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l3", paymentId, 700));
        Await.until("the journal entry", Duration.ofSeconds(30), () -> entries("mer_l3", paymentId) == 1);
        var shard = shardDatabases.get(shards.router().shardOf("mer_l3"));
        try (Connection connection = DriverManager.getConnection(shard.url(), shard.appRole(), shard.password());
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(
                    "UPDATE journal_entries SET description = 'forged' WHERE payment_id = '" + paymentId + "'"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.executeUpdate(
                    "DELETE FROM journal_entries WHERE payment_id = '" + paymentId + "'"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void undecodableRecordIsDeadLetteredAndTheStreamGoesOn() throws Exception {
        producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), "mer_l4", "not json".getBytes())).get();
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l4", paymentId, 10));
        Await.until("the entry after the poison record", Duration.ofSeconds(30), () -> entries("mer_l4", paymentId) == 1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ledger-it-dlt",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("payment_events.ledger-service.dlt"));
            Await.until("the dead-lettered record", Duration.ofSeconds(30), () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if ("not json".equals(new String(record.value()))) {
                        return true;
                    }
                }
                return null;
            });
        }
    }

    private static void publishSettlement(String merchant, long cleared, long reported, long fee, long payout) throws Exception {
        SettlementEvent settled = new SettlementEvent("stb_" + merchant, merchant, "acquirer-a", "EUR", LocalDate.now(),
                cleared, reported, fee, payout, null, 0);
        EventEnvelope<SettlementEvent> event = new EventEnvelope<>(Ids.newId(Ids.EVENT), EventType.MERCHANT_SETTLED.wire(), 1,
                Instant.now(), merchant, null, settled);
        producer.send(new ProducerRecord<>(Topics.SETTLEMENT_EVENTS.name(), merchant, EventCodec.encode(event))).get();
    }

    private long balance(String account) {
        String merchant = account.split(":")[1];
        return shards.forMerchant(merchant).jdbc().sql("SELECT coalesce(sum(balance_minor), 0) FROM accounts WHERE code = :c")
                .param("c", account).query(Long.class).single();
    }

    @Test
    void settlementAndPayoutEmptyTheMerchantsPayableAndTheAcquirersReceivable() throws Exception {
        publish(captured("mer_l5", Ids.newId(Ids.PAYMENT), 10_000));
        Await.until("the capture", Duration.ofSeconds(30), () -> balance("merchant_payable:mer_l5:EUR") == -9_860);
        publishSettlement("mer_l5", 10_000, 10_000, 90, 9_860);
        Await.until("the payout", Duration.ofSeconds(30), () -> balance("merchant_payable:mer_l5:EUR") == 0);
        long kinds = shards.forMerchant("mer_l5").jdbc()
                .sql("SELECT count(DISTINCT kind) FROM journal_entries WHERE merchant_id = 'mer_l5' AND kind IN ('settlement', 'payout')")
                .query(Long.class).single();
        assertThat(kinds).isEqualTo(2);
        String statement = operator().get("/internal/v1/statements?merchant_id=mer_l5&from=" + LocalDate.now().minusDays(1)
                + "&to=" + LocalDate.now()).body();
        assertThat(statement).contains("\"account\":\"merchant_payable:mer_l5:EUR\"").contains("\"closing_minor\":0")
                .contains("\"credits_minor\":9860").contains("\"debits_minor\":9860").contains("\"kind\":\"payout\"");
    }

    @Test
    void ledgerEntriesArePublishedOnceForReadCommittedReaders() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        EventEnvelope<PaymentEvent> event = captured("mer_l6", paymentId, 4_200);
        publish(event);
        publish(event);
        Await.until("the journal entry", Duration.ofSeconds(30), () -> entries("mer_l6", paymentId) == 1);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "ledger-it-entries",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.LEDGER_ENTRIES.name()));
            List<LedgerEntryEvent> seen = new java.util.ArrayList<>();
            Await.until("the published entry", Duration.ofSeconds(30), () -> {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    LedgerEntryEvent entry = EventCodec.decode(Topics.LEDGER_ENTRIES, record.value()).payload();
                    if (paymentId.equals(entry.paymentId())) {
                        seen.add(entry);
                    }
                }
                return seen.isEmpty() ? null : true;
            });
            consumer.poll(Duration.ofSeconds(2)).forEach(record -> {
                LedgerEntryEvent entry = EventCodec.decode(Topics.LEDGER_ENTRIES, record.value()).payload();
                if (paymentId.equals(entry.paymentId())) {
                    seen.add(entry);
                }
            });
            assertThat(seen).singleElement().satisfies(entry -> {
                assertThat(entry.kind()).isEqualTo("capture");
                assertThat(entry.amountMinor()).isEqualTo(4_200);
                assertThat(entry.feeMinor()).isEqualTo(59);
                assertThat(entry.authorizationReference()).isEqualTo("nw");
                assertThat(entry.sequence()).isPositive();
            });
        }
    }

    @Test
    void authorizationHoldIsBookedAsMemoAndReleasedOnCancel() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(paymentEvent("payment.authorized", "mer_l7", paymentId, 900, 900, 0));
        Await.until("the hold", Duration.ofSeconds(30), () -> balance("authorization_holds:mer_l7:EUR") == 900);
        publish(paymentEvent("payment.canceled", "mer_l7", paymentId, 900, 0, 0));
        Await.until("the release", Duration.ofSeconds(30), () -> balance("authorization_holds:mer_l7:EUR") == 0);
        assertThat(balance("authorization_hold_offset:mer_l7:EUR")).isZero();
        assertThat(entries("mer_l7", paymentId)).isEqualTo(2);
    }

    @Test
    void ownerRoleCannotChangeEntriesEitherWithoutDisablingTheTrigger() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l8", paymentId, 300));
        Await.until("the journal entry", Duration.ofSeconds(30), () -> entries("mer_l8", paymentId) == 1);
        var shard = shardDatabases.get(shards.router().shardOf("mer_l8"));
        try (Connection connection = DriverManager.getConnection(shard.url(), shard.ownerRole(), shard.password());
             Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate(
                    "DELETE FROM journal_entries WHERE payment_id = '" + paymentId + "'"))
                    .hasMessageContaining("append-only");
        }
    }

    @Test
    void integrityCheckPassesAndNamesATamperedEntry() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        publish(captured("mer_l9", paymentId, 5_000));
        Await.until("the journal entry", Duration.ofSeconds(30), () -> entries("mer_l9", paymentId) == 1);
        String clean = operator().get("/internal/v1/integrity").body();
        assertThat(clean).contains("\"ok\":true").contains("\"full\":true").contains("\"findings\":[]");
        var shard = shardDatabases.get(shards.router().shardOf("mer_l9"));
        var incremental = Json.MAPPER.readTree(operator().get("/internal/v1/integrity?scope=incremental").body());
        assertThat(incremental.get("ok").asBoolean()).as(incremental.toString()).isTrue();
        assertThat(incremental.get("shards").get(shards.router().shardOf("mer_l9")).get("walked_from_sequence").asLong())
                .as("only what was appended since the full check: %s", incremental).isGreaterThan(1);
        String entryId = shards.forMerchant("mer_l9").jdbc().sql("SELECT id FROM journal_entries WHERE payment_id = :p")
                .param("p", paymentId).query(String.class).single();
        try (Connection connection = DriverManager.getConnection(shard.url(), shard.ownerRole(), shard.password());
             Statement statement = connection.createStatement()) {
            // A balanced forgery: both sides moved by one cent, so only the hash chain can tell.
            String forge = "UPDATE journal_entries SET posting_amounts = ARRAY[posting_amounts[1] + 1, posting_amounts[2] - 1]"
                    + " || posting_amounts[3:] WHERE id = '" + entryId + "'";
            String undo = "UPDATE journal_entries SET posting_amounts = ARRAY[posting_amounts[1] - 1, posting_amounts[2] + 1]"
                    + " || posting_amounts[3:] WHERE id = '" + entryId + "'";
            statement.execute("ALTER TABLE journal_entries DISABLE TRIGGER journal_entries_append_only");
            statement.executeUpdate(forge);
            try {
                String tampered = operator().get("/internal/v1/integrity").body();
                assertThat(tampered).contains("\"ok\":false")
                        .contains("entry " + entryId + " (sequence").contains("was changed after it was written")
                        .contains("has balance");
            } finally {
                statement.executeUpdate(undo);
                statement.execute("ALTER TABLE journal_entries ENABLE TRIGGER journal_entries_append_only");
            }
        }
        assertThat(operator().get("/internal/v1/integrity").body()).contains("\"ok\":true");
    }

    @Test
    void integrityWithAnUnknownScopeIsAClear400() {
        var response = operator().get("/internal/v1/integrity?scope=everything");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("scope must be full or incremental").contains("\"param\":\"scope\"");
    }

    @Test
    void statementWithABadDateIsAClear400() {
        var response = operator().get("/internal/v1/statements?merchant_id=mer_l1&from=yesterday&to=2026-11-24");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("from must be a date").contains("\"param\":\"from\"");
    }

    private TestHttp operator() {
        return new TestHttp("https://localhost:" + port, Identities.OPERATOR);
    }

    private static EventEnvelope<PaymentEvent> paymentEvent(String type, String merchant, String paymentId, long amount,
                                                            long capturable, long change) {
        PaymentEvent payment = new PaymentEvent(paymentId, merchant, type.startsWith("payment.")
                ? dev.nightjar.contracts.contract.PaymentStatus.of(type.substring(8)) : dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "manual", amount, "EUR", capturable,
                0, 0, change, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW, Instant.now(),
                Instant.now(), null, null);
        return new EventEnvelope<>(Ids.newId(Ids.EVENT), type, 1, Instant.now(), merchant, null, payment);
    }
}
