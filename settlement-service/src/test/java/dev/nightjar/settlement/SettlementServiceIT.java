package dev.nightjar.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.event.Topics;
import dev.nightjar.common.id.Ids;
import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettlementServiceIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "settlement", "settlement");
        ServiceTestEnvironment.kafka(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void capturedPaymentWaitsForSettlementOnceEvenWhenDeliveredTwice() throws Exception {
        String paymentId = Ids.newId(Ids.PAYMENT);
        PaymentEvent payment = new PaymentEvent(paymentId, "mer_s1", "captured", "automatic", 1500, "EUR", 0, 1500, 0,
                1500, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp", 10, "allow", Instant.now(), Instant.now(), null, null);
        EventEnvelope<PaymentEvent> event = new EventEnvelope<>(Ids.newId(Ids.EVENT), "payment.captured", 1, Instant.now(),
                "mer_s1", null, payment);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), "mer_s1", EventCodec.encode(event))).get();
            producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), "mer_s1", EventCodec.encode(event))).get();
        }
        Await.until("the settlement item", Duration.ofSeconds(30), () -> jdbc
                .sql("SELECT count(*) FROM settlement_items WHERE payment_id = :p").param("p", paymentId)
                .query(Long.class).single() == 1);
        Await.until("both deliveries processed", Duration.ofSeconds(30), () -> jdbc
                .sql("SELECT count(*) FROM processed_events WHERE event_id = :e").param("e", event.eventId())
                .query(Long.class).single() == 1);
        assertThat(jdbc.sql("SELECT count(*) FROM settlement_items WHERE payment_id = :p").param("p", paymentId)
                .query(Long.class).single()).isEqualTo(1L);
        String pending = new TestHttp("https://localhost:" + port, Identities.OPERATOR).get("/internal/v1/pending").body();
        assertThat(pending).contains("\"acquirer\":\"acquirer-a\"").contains("\"currency\":\"EUR\"");
    }

    @Test
    void riskServiceCanNeverReachSettlement() {
        assertThat(new TestHttp("https://localhost:" + port, Identities.RISK).get("/internal/v1/pending").statusCode())
                .isEqualTo(403);
    }
}
