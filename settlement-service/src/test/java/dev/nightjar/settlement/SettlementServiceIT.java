package dev.nightjar.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.settlement.batch.BatchStep;
import dev.nightjar.settlement.batch.StepFailures;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestAcquirer;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Settlement end to end inside one service: ledger entries published on the real broker, a real acquirer
 * simulator (its own process, over mTLS) seeded through its record import, cut-offs run through the
 * operator API, settlement events read back from Kafka. Each test settles its own currency, so its batch
 * is its own whatever the others leave behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SettlementServiceIT {

    private static final String ACQUIRER = "acquirer-a";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "settlement", "settlement");
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.acquirers." + ACQUIRER + ".url", () -> TestAcquirer.named(ACQUIRER).url());
        // cut-offs only when a test asks; no resuming behind a test's back
        registry.add("nightjar.settlement.cutoff", () -> "-");
        registry.add("nightjar.settlement.resume-every", () -> "1h");
        // the 100,000-line batch's 100,200 events take 5 s to leave the outbox here and took over 10 s on a loaded CI
        // machine; a run that waits longer than the default 10 s takes that batch to done on its own
        registry.add("nightjar.settlement.publish-wait", () -> "2m");
        registry.add("nightjar.settlement.acquirer-fees." + ACQUIRER, () -> "90");
        // one batch of 100,000 lines: above the default cap (50,000), which bounds a deployed service's heap; the
        // test's JVM has the heap for it
        registry.add("nightjar.settlement.max-batch-lines", () -> "100000");
    }

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    StepFailures failures;

    private final TestAcquirer acquirer = TestAcquirer.named(ACQUIRER);

    @AfterEach
    void heal() {
        failures.failAfter(null);
        acquirer.as(Identities.OPERATOR).send(HttpRequest.newBuilder(URI.create(acquirer.url() + AcquirerProtocol.REPORT_FAULTS))
                .DELETE(), Map.of());
        acquirer.as(Identities.OPERATOR).send(HttpRequest.newBuilder(URI.create(acquirer.url() + "/admin/faults")).DELETE(),
                Map.of());
    }

    private TestHttp operator() {
        return new TestHttp("https://localhost:" + port, Identities.OPERATOR);
    }

    /** One capture or refund as the ledger publishes it, booked a moment ago. */
    private record Movement(String entryId, String kind, String merchantId, String paymentId, String authorization,
                            long amountMinor, long feeMinor, String currency) {

        static Movement capture(String merchant, long amount, long fee, String currency) {
            return new Movement(Ids.newId(Ids.JOURNAL_ENTRY), LedgerEntryEvent.CAPTURE, merchant, Ids.newId(Ids.PAYMENT),
                    "nw_" + UUID.randomUUID(), amount, fee, currency);
        }

        Movement refund(long amount) {
            return new Movement(Ids.newId(Ids.JOURNAL_ENTRY), LedgerEntryEvent.REFUND, merchantId, paymentId, authorization,
                    amount, 0, currency);
        }

        EventEnvelope<LedgerEntryEvent> event() {
            LedgerEntryEvent entry = new LedgerEntryEvent(entryId, 0, 1, kind, merchantId, paymentId, ACQUIRER, authorization,
                    Ids.newId(Ids.EVENT), kind + " of " + paymentId, Instant.now().minusSeconds(1), currency, amountMinor,
                    feeMinor, List.of());
            return new EventEnvelope<>(Ids.newId(Ids.EVENT), "ledger.entry_committed", 1, Instant.now(), merchantId, null, entry);
        }

        /** The acquirer's own record of it, for its import. */
        Map<String, Object> record() {
            return Map.of("reference", "acq-" + entryId, "authorization", authorization, "operation", kind,
                    "merchant_id", merchantId, "amount_minor", amountMinor, "currency", currency);
        }
    }

    private void seedAcquirer(List<Movement> movements) {
        HttpResponse<String> imported = acquirer.as(Identities.OPERATOR).postJson(AcquirerProtocol.RECORDS,
                Json.MAPPER.writeValueAsString(movements.stream().map(Movement::record).toList()));
        assertThat(imported.body()).contains("\"imported\":" + movements.size());
    }

    private static void publish(List<EventEnvelope<LedgerEntryEvent>> events) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new ByteArraySerializer())) {
            for (EventEnvelope<LedgerEntryEvent> event : events) {
                producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), event.key(), EventCodec.encode(event)));
            }
            producer.flush();
        }
    }

    private long items(List<Movement> movements) {
        // a join, not "= ANY(:ids)": against a parameter array that is a linear search per row
        return jdbc.sql("SELECT count(*) FROM settlement_items JOIN unnest(CAST(:ids AS text[])) AS id(entry_id) USING (entry_id)")
                .param("ids", SqlArrays.text(movements, Movement::entryId)).query(Long.class).single();
    }

    /** Publishes the movements' entries, and waits until settlement has recorded every one. */
    private void book(List<Movement> movements) throws Exception {
        publish(movements.stream().map(Movement::event).toList());
        Await.until("the settlement items", Duration.ofSeconds(120), () -> items(movements) == movements.size());
    }

    /**
     * Runs a cut-off and answers what it did. The cut-off answers when its batches have gone as far as they can, so
     * its time grows with the batch: 18-23 s for the 100,000 entries below on the 2-core machine, hence the wait.
     */
    @SuppressWarnings("unchecked")
    private Map<String, Object> cutoff() {
        HttpResponse<String> response = operator().waitingUpTo(Duration.ofMinutes(3)).postJson("/internal/v1/cutoffs", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    /** The one batch the movements are in. */
    private String batchOf(List<Movement> movements) {
        List<String> batches = jdbc.sql("""
                        SELECT DISTINCT batch_id FROM settlement_items JOIN unnest(CAST(:ids AS text[])) AS id(entry_id) USING (entry_id)""")
                .param("ids", SqlArrays.text(movements, Movement::entryId)).query(String.class).list();
        assertThat(batches).as("the movements are in one batch").hasSize(1).doesNotContainNull();
        return batches.get(0);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> batch(String id) {
        HttpResponse<String> response = operator().get("/internal/v1/batches/" + id);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> reconciliation(String id, String query) {
        HttpResponse<String> response = operator().get("/internal/v1/batches/" + id + "/reconciliation" + query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (List<Map<String, Object>>) Json.MAPPER.readValue(response.body(), Map.class).get("rows");
    }

    /** Every settlement event of the batch on the topic, read committed from the beginning to the current end. */
    private static List<EventEnvelope<SettlementEvent>> settlementEvents(String batchId) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SETTLEMENT_EVENTS.name()).stream()
                    .map(partition -> new TopicPartition(partition.topic(), partition.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<EventEnvelope<SettlementEvent>> events = new ArrayList<>();
            Await.until("the settlement events topic read to its end", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope<SettlementEvent> event = EventCodec.decode(Topics.SETTLEMENT_EVENTS, record.value());
                    if (batchId.equals(event.payload().batchId())) {
                        assertThat(record.key()).isEqualTo(event.payload().merchantId());
                        events.add(event);
                    }
                }
                return partitions.stream().allMatch(partition -> consumer.position(partition) >= end.get(partition));
            });
            return events;
        }
    }

    private static Map<String, SettlementEvent> merchantSettled(List<EventEnvelope<SettlementEvent>> events) {
        Map<String, SettlementEvent> byMerchant = new HashMap<>();
        events.stream().filter(event -> EventType.MERCHANT_SETTLED.wire().equals(event.type()))
                .forEach(event -> assertThat(byMerchant.put(event.payload().merchantId(), event.payload()))
                        .as("one merchant_settled per merchant").isNull());
        return byMerchant;
    }

    private static Map<String, Long> paymentsSettled(List<EventEnvelope<SettlementEvent>> events) {
        Map<String, Long> byPayment = new HashMap<>();
        events.stream().filter(event -> EventType.PAYMENT_SETTLED.wire().equals(event.type()))
                .forEach(event -> assertThat(byPayment.put(event.payload().paymentId(), event.payload().amountMinor()))
                        .as("one payment.settled per payment").isNull());
        return byPayment;
    }

    private static long fee(long amount) {
        return AcquirerProtocol.feeMinor("capture", amount, 90);
    }

    @Test
    void ledgerCapturesAndRefundsBecomeItemsOnceEvenWhenDeliveredTwiceAndOtherEntriesAreIgnored() throws Exception {
        Movement capture = Movement.capture("mer_items", 1_500, 45, "CHF");
        Movement refund = capture.refund(500);
        EventEnvelope<LedgerEntryEvent> captureEvent = capture.event();
        Movement hold = new Movement(Ids.newId(Ids.JOURNAL_ENTRY), "hold", "mer_items", capture.paymentId(),
                capture.authorization(), 1_500, 0, "CHF");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(),
                new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.LEDGER_ENTRIES.name(), "mer_items", "not json".getBytes())).get();
        }
        publish(List.of(captureEvent, hold.event(), captureEvent, refund.event()));
        Await.until("both items", Duration.ofSeconds(30), () -> items(List.of(capture, refund)) == 2);
        publish(List.of(captureEvent));
        Movement marker = Movement.capture("mer_items", 1, 0, "CHF");
        book(List.of(marker));
        assertThat(items(List.of(capture))).as("the capture delivered three times").isEqualTo(1);
        assertThat(items(List.of(hold))).as("a hold is not settlement's business").isZero();
        assertThat(jdbc.sql("SELECT fee_minor, authorization_reference, operation FROM settlement_items WHERE entry_id = :e")
                .param("e", capture.entryId()).query().singleRow())
                .containsEntry("fee_minor", 45L).containsEntry("authorization_reference", capture.authorization())
                .containsEntry("operation", "capture");
        assertThat(operator().get("/internal/v1/pending").body()).contains("\"currency\":\"CHF\"");
        assertThat(operator().get("/internal/v1/pending?merchant_id=mer_items").body()).contains("\"currency\":\"CHF\"");
        assertThat(operator().get("/internal/v1/pending?merchant_id=mer_nobody").body()).isEqualTo("[]");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "settlement-it-dlt",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetter(Topics.LEDGER_ENTRIES, "settlement-service")));
            Await.until("the dead-lettered record", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if ("not json".equals(new String(record.value()))) {
                        return true;
                    }
                }
                return null;
            });
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCutoffSettlesMatchedMovementsAndPostsOneEventPerMerchantAndPerCapturedPayment() throws Exception {
        Movement first = Movement.capture("mer_s1", 10_000, 250, "EUR");
        Movement second = Movement.capture("mer_s1", 5_000, 125, "EUR");
        Movement refund = first.refund(2_000);
        Movement other = Movement.capture("mer_s2", 7_000, 175, "EUR");
        List<Movement> movements = List.of(first, second, refund, other);
        seedAcquirer(movements);
        book(movements);

        Map<String, Object> result = cutoff();
        String id = batchOf(movements);
        assertThat((List<String>) result.get("created")).contains(id);
        Map<String, Object> batch = batch(id);
        assertThat(batch).containsEntry("step", "done").containsEntry("acquirer", ACQUIRER).containsEntry("currency", "EUR")
                .containsEntry("item_count", 4).containsEntry("items_amount_minor", 20_000)
                .containsEntry("reported_amount_minor", 20_000)
                .containsEntry("acquirer_fee_minor", (int) (fee(10_000) + fee(5_000) + fee(7_000)));
        assertThat((Map<String, Object>) batch.get("outcomes")).containsEntry("matched", 4)
                .containsEntry("missing_at_acquirer", 0).containsEntry("amount_mismatch", 0);
        assertThat(reconciliation(id, "")).hasSize(4).allSatisfy(row -> assertThat(row).containsEntry("outcome", "matched"));

        List<EventEnvelope<SettlementEvent>> events = settlementEvents(id);
        assertThat(events).hasSize(5);
        Map<String, SettlementEvent> merchants = merchantSettled(events);
        assertThat(merchants).containsOnlyKeys("mer_s1", "mer_s2");
        SettlementEvent s1 = merchants.get("mer_s1");
        assertThat(s1.clearedMinor()).isEqualTo(13_000);
        assertThat(s1.reportedMinor()).isEqualTo(13_000);
        assertThat(s1.acquirerFeeMinor()).isEqualTo(fee(10_000) + fee(5_000));
        assertThat(s1.payoutMinor()).isEqualTo(10_000 - 250 + 5_000 - 125 - 2_000);
        assertThat(s1.settlementDate()).isEqualTo(Instant.parse((String) result.get("cutoff_at")).atZone(java.time.ZoneOffset.UTC)
                .toLocalDate());
        assertThat(merchants.get("mer_s2").payoutMinor()).isEqualTo(7_000 - 175);
        assertThat(paymentsSettled(events)).containsOnly(Map.entry(first.paymentId(), 10_000L),
                Map.entry(second.paymentId(), 5_000L), Map.entry(other.paymentId(), 7_000L));
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachDiscrepancyIsAnExceptionSayingWhatToDoAndTheSettledAmountsReflectIt() throws Exception {
        Movement dropped = Movement.capture("mer_x", 1_000, 30, "GBP");
        Movement moreSettled = Movement.capture("mer_x", 2_000, 60, "GBP");
        Movement overcharged = Movement.capture("mer_x", 3_000, 90, "GBP");
        Movement fine = Movement.capture("mer_x", 4_000, 120, "GBP");
        Movement refund = fine.refund(500);
        List<Movement> movements = List.of(dropped, moreSettled, overcharged, fine, refund);
        seedAcquirer(movements);
        book(movements);
        HttpResponse<String> faults = acquirer.as(Identities.OPERATOR).send(HttpRequest.newBuilder(
                        URI.create(acquirer.url() + AcquirerProtocol.REPORT_FAULTS))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("""
                        {"drop_references": ["%s"], "amount_delta": {"%s": 50}, "fee_delta": {"%s": 7},
                         "extra_lines": [{"merchant_id": "mer_x", "operation": "capture", "amount_minor": 900}]}"""
                        .formatted(dropped.entryId(), moreSettled.entryId(), overcharged.entryId()))), Map.of());
        assertThat(faults.statusCode()).as(faults.body()).isEqualTo(200);

        cutoff();
        String id = batchOf(movements);
        assertThat(batch(id)).containsEntry("step", "done");
        assertThat((Map<String, Object>) batch(id).get("outcomes")).containsEntry("matched", 2)
                .containsEntry("missing_at_acquirer", 1).containsEntry("missing_in_nightjar", 1)
                .containsEntry("amount_mismatch", 1).containsEntry("fee_mismatch", 1);
        Map<String, Map<String, Object>> rows = new HashMap<>();
        reconciliation(id, "").forEach(row -> rows.put((String) row.get("reference"), row));
        assertThat(rows.get(dropped.entryId())).containsEntry("outcome", "missing_at_acquirer")
                .containsEntry("expected_amount_minor", 1_000).containsEntry("reported_amount_minor", null);
        assertThat(rows.get(moreSettled.entryId())).containsEntry("outcome", "amount_mismatch")
                .containsEntry("expected_amount_minor", 2_000).containsEntry("reported_amount_minor", 2_050);
        assertThat(rows.get(overcharged.entryId())).containsEntry("outcome", "fee_mismatch")
                .containsEntry("expected_fee_minor", (int) fee(3_000)).containsEntry("reported_fee_minor", (int) fee(3_000) + 7);
        assertThat(rows.get(refund.entryId())).containsEntry("outcome", "matched").containsEntry("expected_amount_minor", -500);
        Map<String, Object> extra = rows.values().stream().filter(row -> "missing_in_nightjar".equals(row.get("outcome")))
                .findFirst().orElseThrow();
        assertThat(extra).containsEntry("reported_amount_minor", 900).containsEntry("merchant_id", "mer_x");
        assertThat(rows.values()).allSatisfy(row -> assertThat(row.get("action") == null)
                .as("an action exactly on the exceptions: " + row).isEqualTo("matched".equals(row.get("outcome"))));
        assertThat(reconciliation(id, "?outcome=exceptions")).hasSize(4);
        assertThat(reconciliation(id, "?outcome=fee_mismatch")).singleElement()
                .satisfies(row -> assertThat(row).containsEntry("reference", overcharged.entryId()));

        List<EventEnvelope<SettlementEvent>> events = settlementEvents(id);
        SettlementEvent settled = merchantSettled(events).get("mer_x");
        assertThat(settled.clearedMinor()).as("the ledger's amounts of what the acquirer settled")
                .isEqualTo(2_000 + 3_000 + 4_000 - 500);
        assertThat(settled.reportedMinor()).isEqualTo(2_050 + 3_000 + 4_000 - 500 + 900);
        assertThat(settled.acquirerFeeMinor()).isEqualTo(fee(2_000) + fee(3_000) + 7 + fee(4_000) + fee(900));
        assertThat(settled.payoutMinor()).as("the dropped capture stays out of the payout")
                .isEqualTo(2_000 - 60 + 3_000 - 90 + 4_000 - 120 - 500);
        assertThat(paymentsSettled(events)).as("captures settled for the booked amount")
                .containsOnlyKeys(overcharged.paymentId(), fine.paymentId());

        String metrics = new TestHttp("https://localhost:" + managementPort, null).get("/actuator/prometheus").body();
        for (String kind : List.of("missing_at_acquirer", "missing_in_nightjar", "amount_mismatch", "fee_mismatch")) {
            assertThat(metrics).containsPattern("nightjar_settlement_reconciliation_exceptions_total\\{[^}]*kind=\"" + kind
                    + "\"[^}]*} [1-9]");
        }
        assertThat(metrics).containsPattern("nightjar_settlement_batches_total\\{[^}]*outcome=\"exceptions\"[^}]*} [1-9]")
                .contains("nightjar_settlement_batch_duration_seconds_count");

        HttpResponse<String> csv = operator().get("/internal/v1/batches/" + id + "/reconciliation?format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).startsWith("line_no,outcome,reference,payment_id,merchant_id,operation");
        assertThat(lines).hasSize(1 + 6);
        assertThat(lines).anySatisfy(line -> assertThat(line).contains(",amount_mismatch," + moreSettled.entryId()
                + "," + moreSettled.paymentId() + ",mer_x,capture,").contains(",GBP,2000,2050,"));
        assertThat(lines).filteredOn(line -> line.contains(",missing_in_nightjar,")).singleElement()
                .satisfies(line -> assertThat(line).endsWith(",The acquirer settled money the batch has no entry for: find the payment "
                        + "behind network reference " + extra.get("network_reference") + "; the amount stays in suspense until it is explained."));
        assertThat(operator().get("/internal/v1/batches/" + id + "/reconciliation?format=csv&outcome=matched").body()
                .split("\r\n")).hasSize(1 + 2);
    }

    @Test
    void aBatchFailedAfterAnyStepResumesOnTheNextRunWithoutDuplicates() throws Exception {
        Map<BatchStep, String> currencies = Map.of(BatchStep.SUBMITTED, "SEK", BatchStep.REPORTED, "NOK",
                BatchStep.RECONCILED, "DKK", BatchStep.POSTED, "PLN");
        for (BatchStep step : List.of(BatchStep.SUBMITTED, BatchStep.REPORTED, BatchStep.RECONCILED, BatchStep.POSTED)) {
            String currency = currencies.get(step);
            Movement a = Movement.capture("mer_r1", 1_100, 33, currency);
            Movement b = Movement.capture("mer_r2", 2_200, 66, currency);
            Movement c = b.refund(200);
            List<Movement> movements = List.of(a, b, c);
            seedAcquirer(movements);
            book(movements);

            failures.failAfter(step);
            cutoff();
            String id = batchOf(movements);
            assertThat(batch(id)).as("stopped after " + step).containsEntry("step", step.wireName())
                    .hasEntrySatisfying("last_error", error -> assertThat((String) error).contains("injected failure"));
            failures.failAfter(null);
            cutoff();
            cutoff();

            assertThat(batchOf(movements)).isEqualTo(id);
            assertThat(batch(id)).as("resumed after " + step).containsEntry("step", "done").containsEntry("attempts", 0);
            assertThat(count("settlement_batches WHERE id = :id", id)).isEqualTo(1);
            assertThat(items(movements)).isEqualTo(3);
            assertThat(count("settlement_report_lines WHERE batch_id = :id", id)).isEqualTo(3);
            assertThat(count("settlement_reconciliation WHERE batch_id = :id", id)).isEqualTo(3);
            assertThat(count("settlement_batch_events WHERE batch_id = :id", id)).isEqualTo(2 + 2);
            List<EventEnvelope<SettlementEvent>> events = settlementEvents(id);
            assertThat(events).as("events after failing at " + step).hasSize(4);
            assertThat(merchantSettled(events)).containsOnlyKeys("mer_r1", "mer_r2");
            assertThat(merchantSettled(events).get("mer_r2").payoutMinor()).isEqualTo(2_200 - 66 - 200);
            assertThat(paymentsSettled(events)).containsOnlyKeys(a.paymentId(), b.paymentId());
        }
    }

    @Test
    void anAcquirerOutageLeavesTheBatchCreatedWithTheReasonUntilTheAcquirerIsBack() throws Exception {
        Movement capture = Movement.capture("mer_outage", 3_300, 99, "CZK");
        seedAcquirer(List.of(capture));
        book(List.of(capture));
        acquirer.as(Identities.OPERATOR).send(HttpRequest.newBuilder(URI.create(acquirer.url() + "/admin/faults"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"outage\": true}")),
                Map.of());
        cutoff();
        String id = batchOf(List.of(capture));
        assertThat(batch(id)).containsEntry("step", "created").containsEntry("attempts", 1)
                .hasEntrySatisfying("last_error", error -> assertThat((String) error).contains("HTTP 503"));
        acquirer.as(Identities.OPERATOR).send(HttpRequest.newBuilder(URI.create(acquirer.url() + "/admin/faults")).DELETE(),
                Map.of());
        cutoff();
        assertThat(batch(id)).containsEntry("step", "done").containsEntry("last_error", null);
        assertThat(paymentsSettled(settlementEvents(id))).containsOnlyKeys(capture.paymentId());
    }

    @Test
    void operatorsGetClearErrorsAndOthersGetNothing() {
        HttpResponse<String> unknown = operator().get("/internal/v1/batches/stl_01JD7V8Q6N2C3XK4M5P6R7S8T9");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"resource_missing\"");
        assertThat(operator().get("/internal/v1/batches/nope/reconciliation?format=csv").statusCode()).isEqualTo(404);
        assertThat(operator().get("/internal/v1/batches?limit=0").body()).contains("\"param\":\"limit\"");
        assertThat(operator().get("/internal/v1/batches?starting_after=pay_1").body()).contains("\"param\":\"starting_after\"");
        assertThat(operator().get("/internal/v1/batches/x/reconciliation?format=xml").body()).contains("\"param\":\"format\"");
        assertThat(operator().get("/internal/v1/batches/x/reconciliation?outcome=odd").statusCode()).isIn(400, 404);
        assertThat(operator().get("/internal/v1/batches?limit=2").body()).contains("\"object\":\"list\"");
        assertThat(new TestHttp("https://localhost:" + port, Identities.RISK).get("/internal/v1/batches").statusCode())
                .isEqualTo(403);
        assertThat(new TestHttp("https://localhost:" + port, Identities.RISK).postJson("/internal/v1/cutoffs", "")
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aHundredThousandEntryBatchSettlesInOneRun() throws Exception {
        int count = 100_000;
        List<Movement> movements = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long amount = 1_000 + i % 5_000;
            movements.add(Movement.capture("mer_big_" + i % 200, amount, amount / 40, "USD"));
        }
        long started = System.nanoTime();
        seedAcquirer(movements);
        long seeded = System.nanoTime();
        book(movements);
        long booked = System.nanoTime();
        cutoff();
        long settled = System.nanoTime();
        String id = batchOf(movements);
        System.out.printf("settlement of %d ledger entries: acquirer seeded in %d ms, published and recorded as items in %d ms,"
                + " cut-off to done in %d ms%n", count, (seeded - started) / 1_000_000, (booked - seeded) / 1_000_000,
                (settled - booked) / 1_000_000);
        assertThat(batch(id)).containsEntry("step", "done").containsEntry("item_count", count)
                .containsEntry("report_line_count", count);
        assertThat(count("settlement_reconciliation WHERE batch_id = :id AND outcome = 'matched'", id)).isEqualTo(count);
        assertThat(count("settlement_batch_events WHERE batch_id = :id", id)).isEqualTo(200 + count);
        assertThat(jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single()).isZero();
    }

    private long count(String fromWhere, String id) {
        return jdbc.sql("SELECT count(*) FROM " + fromWhere).param("id", id).query(Long.class).single();
    }
}
