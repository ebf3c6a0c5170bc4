package dev.nightjar.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.event.Topics;
import dev.nightjar.common.id.Ids;
import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
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
        PaymentEvent payment = new PaymentEvent(paymentId, merchant, "captured", "automatic", amount, "EUR", 0, amount, 0,
                amount, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp", 10, "allow", Instant.now(), Instant.now(), null, null);
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
        assertThat(body).contains("\"amount_minor\":1999").contains("\"amount_minor\":-1999");
        String balances = new TestHttp("https://localhost:" + port, Identities.OPERATOR)
                .get("/internal/v1/balances?merchant_id=mer_l1").body();
        assertThat(balances).contains("\"account\":\"merchant_payable:mer_l1:EUR\"").contains("\"balance_minor\":-1999");
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
                    posting_accounts, posting_currencies, posting_amounts)
                VALUES ('je_bad', now(), 'mer_x', 'test', 'evt_bad', 'bad',
                    '{a:x:EUR,b:x:EUR}', '{EUR,EUR}', '{100,-99}')""").update())
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
}
