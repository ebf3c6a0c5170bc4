package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.testsupport.Await;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every subscription of the fleet ({@link Topics#SUBSCRIPTIONS}) carries records from the producer's outbox
 * to its consumer group: one payment publishes on the topics a payment travels ({@code payment_events},
 * {@code auth_responses}, {@code ledger_entries}), one accepted asynchronously on {@code payment_requests} too
 * (and is processed from there), and every group subscribed to a topic that grew commits
 * past where that topic ended before the payment.
 */
@ExtendWith(Fleet.class)
class TopicsEndToEndIT {

    private static final List<String> A_PAYMENTS_TOPICS = List.of(Topics.PAYMENT_EVENTS.name(), Topics.AUTH_RESPONSES.name(),
            Topics.LEDGER_ENTRIES.name(), Topics.PAYMENT_REQUESTS.name());

    @Test
    @SuppressWarnings("unchecked")
    void aCardPaidTenTimesInAMinuteIsFlaggedAfterItsCaptureAndTheReviewersRejectionRefundsIt() {
        MerchantClient client = MerchantClient.newMerchant(Fleet.running(), "Review Shop");
        // a card no test-mode exemption knows: its velocity counts
        String card = HostileSweep.freeTextCards(System.nanoTime()).get(0);
        for (int payment = 0; payment < 12; payment++) {
            HttpResponse<String> paid = client.post("/v1/payments", MerchantClient.cardPayment(900 + payment, card),
                    UUID.randomUUID().toString());
            assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
        }
        // risk-service re-scores each captured payment it allowed, on the features that now count the burst, and
        // flags those that reach review on risk_events; transaction-service puts them in the review queue
        Map<String, Object> flagged = Await.until("a captured payment in the review queue", Duration.ofSeconds(60), () -> {
            List<Map<String, Object>> queue = (List<Map<String, Object>>) MerchantClient.json(
                    client.get("/v1/reviews?limit=100").body()).get("data");
            return queue.stream().filter(payment -> "captured".equals(payment.get("status"))).findFirst().orElse(null);
        });
        assertThat((Map<String, Object>) flagged.get("risk")).containsEntry("decision", "review");
        String id = (String) flagged.get("id");

        HttpResponse<String> rejected = client.send(client.request("/v1/reviews/" + id + "/reject")
                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString("{\"reviewer\": \"e2e@shop.example\"}")));
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
        assertThat(MerchantClient.json(rejected.body())).containsEntry("status", "refunded")
                .containsEntry("amount_refunded", flagged.get("amount"));
        List<Map<String, Object>> refunds = (List<Map<String, Object>>) MerchantClient.json(
                client.get("/v1/payments/" + id + "/refunds").body()).get("data");
        assertThat(refunds).singleElement().satisfies(refund -> assertThat(refund).containsEntry("reason", "fraudulent"));
        List<Map<String, Object>> queue = (List<Map<String, Object>>) MerchantClient.json(
                client.get("/v1/reviews?limit=100").body()).get("data");
        assertThat(queue).as("decided, so out of the queue").noneMatch(payment -> id.equals(payment.get("id")));
    }

    @Test
    void everyConsumerGroupReadsWhatAPaymentPublishesOnItsTopic() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                Fleet.running().platform().kafka().bootstrapServers()))) {
            Map<String, Map<TopicPartition, Long>> before = new HashMap<>();
            for (Topic<?> topic : Topics.ALL) {
                before.put(topic.name(), asked(() -> endOffsets(admin, topic.name())));
            }
            MerchantClient client = MerchantClient.newMerchant(Fleet.running(), "Topics Shop");
            HttpResponse<String> paid = client.post("/v1/payments", MerchantClient.cardPayment(1250, "4242424242424242"),
                    UUID.randomUUID().toString());
            assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
            HttpResponse<String> accepted = client.send(client.request("/v1/payments")
                    .header("Content-Type", "application/json").header("Prefer", "respond-async")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(MerchantClient.cardPayment(1350, "4242424242424242"))));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(accepted.headers().firstValue("Preference-Applied")).contains("respond-async");
            assertThat(accepted.body()).contains("\"status\":\"received\"");
            String acceptedId = accepted.body().replaceAll("(?s).*\"id\":\"(pay_[^\"]+)\".*", "$1");
            assertThat(accepted.headers().firstValue("Location")).contains("/v1/payments/" + acceptedId);
            // processed by payment_requests' consumer: risk, then the acquirer, as a synchronous create
            Await.until(acceptedId + " captured", Duration.ofSeconds(30), () -> {
                HttpResponse<String> read = client.get("/v1/payments/" + acceptedId);
                return read.body().contains("\"status\":\"captured\"") ? read : null;
            });

            for (String topic : A_PAYMENTS_TOPICS) {
                // the outbox relays publish moments after the commit
                Await.until(topic + " holding the payment's records", Duration.ofSeconds(30),
                        () -> grown(before.get(topic), asked(() -> endOffsets(admin, topic))).isEmpty() ? null : Boolean.TRUE);
            }
            for (Topics.Subscription subscription : Topics.SUBSCRIPTIONS) {
                String topic = subscription.topic().name();
                Map<TopicPartition, Long> grown = grown(before.get(topic), asked(() -> endOffsets(admin, topic)));
                // a record is read when the group's committed offset passes where the log ended before the payment
                // (not the log's end itself: a transactional producer's commit marker takes an offset no one reads)
                Await.until(subscription + " reading the payment's records", Duration.ofSeconds(60), () -> {
                    Map<TopicPartition, OffsetAndMetadata> committed = asked(() ->
                            admin.listConsumerGroupOffsets(subscription.consumerGroup()).partitionsToOffsetAndMetadata().get());
                    return grown.keySet().stream().allMatch(partition -> committed.get(partition) != null
                            && committed.get(partition).offset() > before.get(topic).getOrDefault(partition, 0L)) ? Boolean.TRUE : null;
                });
            }
        }
    }

    /** The partitions whose end moved from {@code before} to {@code after}, with their new end. */
    private static Map<TopicPartition, Long> grown(Map<TopicPartition, Long> before, Map<TopicPartition, Long> after) {
        Map<TopicPartition, Long> grown = new HashMap<>();
        after.forEach((partition, end) -> {
            if (end > before.getOrDefault(partition, 0L)) {
                grown.put(partition, end);
            }
        });
        return grown;
    }

    /** What the broker answered, for the polls of {@link Await}: a question it could not answer fails the test. */
    private static <T> T asked(java.util.concurrent.Callable<T> question) {
        try {
            return question.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not answer", e);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                .forEach(partition -> latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        // read_committed: the last stable offset, which stops before a transaction still open. A ledger transaction
        // (an earlier payment's) open when "before" is taken would otherwise count its records as before and its
        // commit marker, which no one reads, as the payment's: no committed offset of the group could pass it.
        admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }
}
