package dev.nightjar.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.ledger.consumer.CrashPoints;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.testsupport.TestPostgres;
import dev.nightjar.testsupport.TestPostgres.TestDatabase;
import dev.nightjar.testsupport.TestTls;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The crash windows of exactly-once consumption, tested by killing a real ledger-service process: it runs
 * as its own JVM against the test PostgreSQL and Kafka, halts at a chosen point of a batch (as a SIGKILL
 * would: no shutdown hooks) or is killed with SIGKILL while events stream in, and is started again. After
 * recovery every event has made its entries exactly once, and every entry is on {@code ledger_entries}
 * exactly once for read-committed readers.
 */
class LedgerCrashWindowsIT {

    private static final String TRANSACTIONAL_ID = "ledger-crash-it";
    private static final Path LOGS = Path.of("target", "crash-windows");
    private static List<TestDatabase> shards;

    @BeforeAll
    static void databases() throws Exception {
        shards = List.of(TestPostgres.database("ledger_crash_0", "ledger"), TestPostgres.database("ledger_crash_1", "ledger"));
        Files.createDirectories(LOGS);
    }

    @ParameterizedTest
    @ValueSource(strings = {CrashPoints.BEFORE_DATABASE_COMMIT, CrashPoints.AFTER_DATABASE_COMMIT, CrashPoints.BEFORE_KAFKA_COMMIT})
    void processKilledAtACrashPointBooksAndPublishesEveryEventOnceAfterRestart(String point) throws Exception {
        String group = "ledger-crash-" + point;
        startGroupAtTheEnd(group);
        String merchants = "mer_cw_" + point.hashCode();
        List<EventEnvelope<PaymentEvent>> events = captures(merchants, 30);
        publish(events);

        Process crashing = start(point, group, point);
        assertThat(crashing.waitFor(180, TimeUnit.SECONDS)).as("the process reached " + point).isTrue();
        assertThat(crashing.exitValue()).as("halted at the crash point, see " + LOGS.resolve(point + ".log"))
                .isEqualTo(CrashPoints.EXIT_STATUS);
        long booked = entryIds(events).size();
        if (point.equals(CrashPoints.BEFORE_DATABASE_COMMIT)) {
            assertThat(booked).as("nothing committed before the database commit").isZero();
        } else {
            assertThat(booked).as("the database committed before the crash").isPositive();
        }
        assertThat(published(entryIds(events))).as("nothing visible to read-committed readers").isEmpty();

        Process recovering = start(point + "-recovery", group, null);
        try {
            assertBookedAndPublishedOnce(merchants, events);
        } finally {
            stop(recovering);
        }
    }

    @Test
    void processKilledWithSigkillWhileEventsStreamInLosesAndDuplicatesNothing() throws Exception {
        String group = "ledger-crash-sigkill";
        startGroupAtTheEnd(group);
        List<EventEnvelope<PaymentEvent>> events = captures("mer_cw_kill", 400);
        Process first = start("sigkill", group, null);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < 200; i++) {
                send(producer, events.get(i));
            }
            producer.flush();
            Await.until("some events booked before the kill", Duration.ofSeconds(180),
                    () -> entryIds(events.subList(0, 200)).size() >= 20);
            for (int i = 200; i < 300; i++) {
                send(producer, events.get(i));
                if (i == 220) {
                    first.destroyForcibly();
                }
            }
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            for (int i = 300; i < events.size(); i++) {
                send(producer, events.get(i));
            }
            producer.flush();
        } finally {
            stop(first);
        }
        Process second = start("sigkill-recovery", group, null);
        try {
            assertBookedAndPublishedOnce("mer_cw_kill", events);
        } finally {
            stop(second);
        }
    }

    /**
     * Every event of {@code events} (made by {@link #captures} for {@code merchantPrefix}) booked and published
     * once, and nothing published twice later: an event for each of their merchants follows them on the same
     * partitions, and once its entries are published, whatever the earlier events made is on the topic too.
     */
    private static void assertBookedAndPublishedOnce(String merchantPrefix, List<EventEnvelope<PaymentEvent>> events) {
        Await.until("every event booked", Duration.ofSeconds(180), () -> entryIds(events).size() == events.size());
        Set<String> ids = entryIds(events);
        Await.until("every entry published", Duration.ofSeconds(60), () -> published(ids).keySet().equals(ids));
        List<EventEnvelope<PaymentEvent>> later = captures(merchantPrefix, 7);
        publish(later);
        Await.until("the later events booked", Duration.ofSeconds(60), () -> entryIds(later).size() == later.size());
        Set<String> laterIds = entryIds(later);
        Await.until("the later events' entries published", Duration.ofSeconds(60),
                () -> published(laterIds).keySet().equals(laterIds));
        Map<String, Integer> published = published(ids);
        assertThat(published.keySet()).isEqualTo(ids);
        assertThat(published.values()).as("each entry published once").allMatch(count -> count == 1);
        assertThat(capturesPerEvent(events).values()).as("each event booked once").allMatch(count -> count == 1);
    }

    private static List<EventEnvelope<PaymentEvent>> captures(String merchantPrefix, int count) {
        List<EventEnvelope<PaymentEvent>> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String merchant = merchantPrefix + "_" + (i % 7);
            String payment = Ids.newId(Ids.PAYMENT);
            long amount = 100 + i;
            PaymentEvent captured = new PaymentEvent(payment, merchant, dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", amount, "EUR", 0, amount, 0,
                    amount, null, "acquirer-a", "nw_" + payment, null, null, "visa", "4242", "fp", 10, dev.nightjar.contracts.contract.RiskDecision.ALLOW,
                    Instant.now(), Instant.now(), null, null);
            events.add(new EventEnvelope<>(Ids.newId(Ids.EVENT), EventType.PAYMENT_CAPTURED.wire(), 1, Instant.now(), merchant,
                    null, captured));
        }
        return events;
    }

    /** Ids of the entries booked for these events, over both shards. */
    private static Set<String> entryIds(List<EventEnvelope<PaymentEvent>> events) {
        return new HashSet<>(query(events, "SELECT id FROM journal_entries WHERE source_event_id = ANY(?)").keySet());
    }

    private static Map<String, Integer> capturesPerEvent(List<EventEnvelope<PaymentEvent>> events) {
        return query(events, "SELECT source_event_id FROM journal_entries WHERE source_event_id = ANY(?) AND kind = 'capture'");
    }

    private static Map<String, Integer> query(List<EventEnvelope<PaymentEvent>> events, String sql) {
        Map<String, Integer> counts = new HashMap<>();
        try {
            countRows(events, sql, counts);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static void countRows(List<EventEnvelope<PaymentEvent>> events, String sql, Map<String, Integer> counts)
            throws java.sql.SQLException {
        for (TestDatabase shard : shards) {
            try (Connection db = DriverManager.getConnection(shard.url(), shard.ownerRole(), shard.password())) {
                if (!tableExists(db)) {
                    continue;
                }
                try (PreparedStatement statement = db.prepareStatement(sql)) {
                    statement.setArray(1, db.createArrayOf("text", events.stream().map(EventEnvelope::eventId).toArray()));
                    try (ResultSet rs = statement.executeQuery()) {
                        while (rs.next()) {
                            counts.merge(rs.getString(1), 1, Integer::sum);
                        }
                    }
                }
            }
        }
    }

    private static boolean tableExists(Connection db) throws java.sql.SQLException {
        try (ResultSet rs = db.createStatement().executeQuery("SELECT to_regclass('journal_entries') IS NOT NULL")) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /** How many times each of these entry ids is on ledger_entries, for a read-committed reader. */
    private static Map<String, Integer> published(Set<String> entryIds) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.LEDGER_ENTRIES.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    LedgerEntryEvent entry = EventCodec.decode(Topics.LEDGER_ENTRIES, record.value()).payload();
                    if (entryIds.contains(entry.entryId())) {
                        counts.merge(entry.entryId(), 1, Integer::sum);
                    }
                }
            }
        }
        return counts;
    }

    /** A new consumer group that starts after everything already on the ledger's input topics. */
    private static void startGroupAtTheEnd(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : List.of(Topics.PAYMENT_EVENTS.name(), Topics.SETTLEMENT_EVENTS.name())) {
                admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                        .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            }
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, info) -> offsets.put(tp, new OffsetAndMetadata(info.offset())));
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    private static void publish(List<EventEnvelope<PaymentEvent>> events) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            events.forEach(event -> send(producer, event));
            producer.flush();
        }
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, EventEnvelope<PaymentEvent> event) {
        producer.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), event.key(), EventCodec.encode(event)));
    }

    /** ledger-service as its own JVM, on the test servers. */
    private static Process start(String name, String group, String crashAt) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                LedgerApplication.class.getName(),
                "--nightjar.tls.dir=" + TestTls.dir(),
                "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + TestKafka.bootstrapServers(),
                "--nightjar.shards.username=ledger_app", "--nightjar.shards.password=test",
                "--nightjar.shards.owner-username=ledger_owner", "--nightjar.shards.owner-password=test",
                "--nightjar.ledger.consumer-group=" + group,
                "--nightjar.ledger.transactional-id=" + TRANSACTIONAL_ID,
                // A killed member holds its partitions until its session times out: keep that short here.
                "--spring.kafka.consumer.properties.session.timeout.ms=6000",
                "--spring.kafka.consumer.properties.heartbeat.interval.ms=1000",
                "--management.tracing.export.enabled=false",
                "--management.otlp.metrics.export.enabled=false"));
        for (int i = 0; i < shards.size(); i++) {
            command.add("--nightjar.shards.urls[" + i + "]=" + shards.get(i).url());
        }
        if (crashAt != null) {
            command.add("--nightjar.ledger.crash-at=" + crashAt);
        }
        File log = LOGS.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
    }

    private static void stop(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
