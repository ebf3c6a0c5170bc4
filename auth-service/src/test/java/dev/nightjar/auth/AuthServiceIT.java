package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.event.AuthResponseEvent;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.PreparedPlans;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * auth-service against real PostgreSQL and Kafka. The vault and the acquirer are real processes only in
 * the end-to-end tests; here the vault's port is closed, which is a fault auth-service must handle.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthServiceIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        AuthItEnvironment.register(registry, "https://localhost:" + CLOSED_PORT, "https://localhost:" + CLOSED_PORT);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void anOperationsOutcomeIsPlannedOnceNotForEveryExecution() {
        // As AcquirerOperations writes an outcome: left to choose, PostgreSQL planned it again on most executions.
        PreparedPlans.Plans plans = PreparedPlans.afterRepeating(dataSource,
                "UPDATE acquirer_operations SET captured = ?, updated_at = now() WHERE id = ? AND status IN ('sent', 'unknown')",
                12, false, "auth_planned_once");
        assertThat(plans.custom()).as("executions planned for their values").isZero();
        assertThat(plans.generic()).as("executions of the one plan").isPositive();
    }

    private HttpResponse<String> authorize(String caller, String paymentId) {
        return AuthItEnvironment.authorize(port, caller, paymentId);
    }

    @Test
    void unreachableVaultLeavesThePaymentWaitingWithoutTouchingTheAcquirer() {
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_vault_down");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("nothing was sent anywhere: the payment waits, it does not fail")
                .contains("\"outcome\":\"unavailable\"");
        assertThat(jdbc.sql("SELECT string_agg(acquirer || ' ' || status || '/' || decline_code, ', ' ORDER BY attempt)"
                + " FROM acquirer_operations WHERE payment_id = 'pay_vault_down'").query(String.class).single())
                .as("failed over to the next acquirer, which was not called either")
                .isEqualTo("acquirer-a failed/not_called, acquirer-b failed/not_called");
        assertThat(attemptState("pay_vault_down")).as("released once its answer was written").endsWith(" -");
    }

    @Test
    void askingAgainAndAgainThroughAnOutageSendsTheSameNeverSentAttemptAndAddsNone() {
        for (int i = 0; i < 12; i++) {
            HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_long_outage");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"outcome\":\"unavailable\"");
        }
        assertThat(jdbc.sql("SELECT count(*) FROM acquirer_operations WHERE payment_id = 'pay_long_outage'")
                .query(Long.class).single()).as("one attempt per acquirer, however often it is asked").isEqualTo(2L);
    }

    /** An attempt as a request that is sending it (or died sending it) left it: sent, held until {@code until}. */
    private void attemptHeldBy(String paymentId, String sender, String until) {
        attemptHeldBy(paymentId, "sent", null, sender, until);
    }

    private void attemptHeldBy(String paymentId, String status, String declineCode, String sender, String until) {
        jdbc.sql("""
                        INSERT INTO acquirer_operations (id, subject_id, payment_id, merchant_id, operation, acquirer, amount_minor,
                                                         currency, status, decline_code, attempt, sending_by, sending_until)
                        VALUES (:id, :payment, :payment, 'mer_auth', 'sale', 'acquirer-a', 500, 'EUR', :status, :decline, 1,
                                :sender, now() + CAST(:until AS interval))""")
                .param("id", "auth_" + paymentId).param("payment", paymentId).param("status", status)
                .param("decline", declineCode).param("sender", sender).param("until", until)
                .update();
    }

    /** Attempt 2 of the payment, at acquirer-b: failed without being sent (its breaker open, say). */
    private void secondAttemptNeverSent(String paymentId) {
        jdbc.sql("""
                        INSERT INTO acquirer_operations (id, subject_id, payment_id, merchant_id, operation, acquirer, amount_minor,
                                                         currency, status, decline_code, attempt)
                        VALUES (:id, :payment, :payment, 'mer_auth', 'sale', 'acquirer-b', 500, 'EUR', 'failed', 'not_called', 2)""")
                .param("id", "auth_" + paymentId + "_2").param("payment", paymentId).update();
    }

    private String attemptIds(String paymentId) {
        return jdbc.sql("SELECT string_agg(acquirer || '=' || id, ', ' ORDER BY attempt) FROM acquirer_operations"
                + " WHERE payment_id = :payment").param("payment", paymentId).query(String.class).single();
    }

    private String attemptState(String paymentId) {
        return jdbc.sql("SELECT count(*) || ' ' || max(status) || ' ' || coalesce(max(sending_by), '-') FROM acquirer_operations"
                + " WHERE payment_id = :payment").param("payment", paymentId).query(String.class).single();
    }

    @Test
    void anAttemptAnotherRequestIsSendingIsNeitherSentAgainNorFailedOver() {
        // The double charge this prevents: one request's call, bulkhead full, "not called", failed over to the
        // next acquirer while another request's call with the same reference charged the card at the first.
        attemptHeldBy("pay_held", "another-request", "30 seconds");
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_held");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as("its outcome is the other request's to learn").contains("\"outcome\":\"unknown\"");
        assertThat(attemptState("pay_held")).as("untouched: one attempt, still sent, still held by the other request")
                .isEqualTo("1 sent another-request");
    }

    @Test
    void aRequestWhileAnotherIsFailingOverNeitherReopensTheFirstAttemptNorAddsOne() {
        // The other double charge: one request, its first attempt "not called", was about to try the next
        // acquirer when a second request reopened that first attempt and sent it; each acquirer charged once.
        attemptHeldBy("pay_failing_over", "failed", "not_called", "the-request-failing-over", "30 seconds");
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_failing_over");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"outcome\":\"unknown\"");
        assertThat(attemptState("pay_failing_over")).as("the payment is the other request's until it lets go")
                .isEqualTo("1 failed the-request-failing-over");
    }

    @Test
    void anApprovedAttemptIsThePaymentsOutcomeWhateverALaterAttemptSays() {
        // attempt 1 at acquirer-a, reopened and approved, while attempt 2 at acquirer-b stood failed (never sent)
        attemptHeldBy("pay_approved_first", "approved", null, null, "0 seconds");
        secondAttemptNeverSent("pay_approved_first");
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_approved_first");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"outcome\":\"approved\"").contains("\"acquirer\":\"acquirer-a\"");
        assertThat(jdbc.sql("SELECT string_agg(attempt || ' ' || status, ', ' ORDER BY attempt) FROM acquirer_operations"
                + " WHERE payment_id = 'pay_approved_first'").query(String.class).single())
                .as("the failed attempt at acquirer-b is not sent again").isEqualTo("1 approved, 2 failed");
    }

    @Test
    void aPaymentAnAcquirerFailedForCertainIsNeverSentToAnotherByALaterRequest() {
        // An earlier request: acquirer-a failed for certain, acquirer-b could not be called; it answered "failed",
        // and transaction-service failed the payment. A later request about it (one that waited for the lock)
        // reopened the attempt at acquirer-b, which charged the failed payment.
        attemptHeldBy("pay_failed_for_certain", "failed", null, null, "0 seconds");
        secondAttemptNeverSent("pay_failed_for_certain");
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_failed_for_certain");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).as("the earlier answer stands").contains("\"outcome\":\"failed\"");
        assertThat(jdbc.sql("SELECT string_agg(attempt || ' ' || status || '/' || coalesce(decline_code, '-')"
                        + " || ' ' || (updated_at = created_at), ', ' ORDER BY attempt)"
                        + " FROM acquirer_operations WHERE payment_id = 'pay_failed_for_certain'").query(String.class).single())
                .as("neither attempt touched").isEqualTo("1 failed/- true, 2 failed/not_called true");
    }

    @Test
    void anAttemptWhoseSenderDiedIsAskedAboutAgainOnceItsLeaseRunsOut() {
        attemptHeldBy("pay_sender_died", "a-killed-request", "-1 second");
        HttpResponse<String> response = authorize(Identities.TRANSACTION, "pay_sender_died");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        // claimed and sent again; the vault is away, and an attempt sent before may have been acted on, so its
        // outcome stays unknown and nothing fails over
        assertThat(response.body()).contains("\"outcome\":\"unknown\"");
        assertThat(attemptState("pay_sender_died")).as("one attempt, unknown, released").isEqualTo("1 unknown -");
    }

    @Test
    void repeatedRequestForOnePaymentReusesTheRecordedAttempt() {
        authorize(Identities.TRANSACTION, "pay_repeat");
        String recorded = attemptIds("pay_repeat");
        authorize(Identities.TRANSACTION, "pay_repeat");
        assertThat(attemptIds("pay_repeat")).as("the same attempts, one per acquirer of the route")
                .isEqualTo(recorded).contains("acquirer-a").contains("acquirer-b");
    }

    @Test
    void outcomeIsPublishedOnAuthResponsesThroughTheOutbox() {
        List<EventEnvelope<AuthResponseEvent>> seen = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "auth-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.AUTH_RESPONSES.name()));
            authorize(Identities.TRANSACTION, "pay_published");
            EventEnvelope<AuthResponseEvent> event = Await.until("the auth_responses event", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(EventCodec.decode(Topics.AUTH_RESPONSES, record.value()));
                }
                return seen.stream().filter(e -> e.payload().paymentId().equals("pay_published")).findFirst().orElse(null);
            });
            assertThat(event.key()).isEqualTo("mer_auth");
            // neither acquirer runs here: the attempt never left
            assertThat(event.payload().outcome()).isEqualTo(dev.nightjar.contracts.contract.AcquirerOutcome.NOT_SENT);
            assertThat(event.eventId()).startsWith("evt_");
        }
        Await.until("an empty outbox", Duration.ofSeconds(10),
                () -> jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0L);
    }

    @Test
    void onlyTransactionServiceMayAuthorize() {
        assertThat(authorize(Identities.GATEWAY, "pay_gateway").statusCode()).isEqualTo(403);
        assertThat(authorize(Identities.RISK, "pay_risk").statusCode()).isEqualTo(403);
    }

    @Test
    void captureOfAPaymentWithoutAnApprovedAuthorizationIsAConflict() {
        authorize(Identities.TRANSACTION, "pay_never_approved");
        HttpResponse<String> response = new TestHttp("https://localhost:" + port, Identities.TRANSACTION)
                .postJson("/internal/v1/captures", """
                        {"payment_id": "pay_never_approved", "merchant_id": "mer_auth", "amount_minor": 100, "currency": "EUR"}""");
        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("no_approved_authorization");
    }

    private HttpResponse<String> capture(String paymentId, String claim) {
        return new TestHttp("https://localhost:" + port, Identities.TRANSACTION).postJson("/internal/v1/captures", """
                {"payment_id": "%s", "merchant_id": "mer_auth", "amount_minor": 300, "currency": "EUR", "claim": "%s"}"""
                .formatted(paymentId, claim));
    }

    private List<String> attempts(String operation, String subjectId) {
        return jdbc.sql("SELECT attempt || ' ' || status || ' ' || claim FROM acquirer_operations"
                        + " WHERE operation = :operation AND subject_id = :subject ORDER BY attempt")
                .param("operation", operation).param("subject", subjectId).query(String.class).list();
    }

    @Test
    void aClaimWhoseAttemptFailedIsAnsweredFromItAndOnlyANewClaimSendsAgain() {
        // The lost capture this prevents: a request asking again about a claim the transaction service had
        // meanwhile released (its attempt failed) sent a new attempt, the acquirer captured, and the payment,
        // back to authorized, never learnt of it.
        jdbc.sql("""
                        INSERT INTO acquirer_operations (id, subject_id, payment_id, merchant_id, operation, acquirer, amount_minor,
                                                         currency, status, network_reference, attempt)
                        VALUES ('auth_pay_claims', 'pay_claims', 'pay_claims', 'mer_auth', 'authorize', 'acquirer-a', 500,
                                'EUR', 'approved', 'net_claims', 1)""").update();
        HttpResponse<String> first = capture("pay_claims", "claim-1");
        assertThat(first.body()).as("the acquirer's port is closed: nothing was sent").contains("\"outcome\":\"unavailable\"");
        HttpResponse<String> again = capture("pay_claims", "claim-1");
        assertThat(again.body()).contains("\"outcome\":\"unavailable\"");
        assertThat(attempts("capture", "pay_claims")).as("the same claim asked again is not sent again")
                .containsExactly("1 failed claim-1");

        assertThat(capture("pay_claims", "claim-2").body()).contains("\"outcome\":\"unavailable\"");
        String sentForClaim2 = lastChange("pay_claims");
        assertThat(capture("pay_claims", "claim-1").body()).contains("\"outcome\":\"unavailable\"");
        assertThat(attempts("capture", "pay_claims"))
                .as("a new claim sends the attempt the acquirer never saw again, under its reference")
                .containsExactly("1 failed claim-2");
        assertThat(lastChange("pay_claims")).as("claim-1, asked again, is answered as before: nothing sent")
                .isEqualTo(sentForClaim2);

        TestHttp http = new TestHttp("https://localhost:" + port, Identities.TRANSACTION);
        for (int i = 0; i < 2; i++) {
            assertThat(http.postJson("/internal/v1/refunds", """
                    {"refund_id": "re_claims", "payment_id": "pay_claims", "merchant_id": "mer_auth", "amount_minor": 100,
                     "currency": "EUR"}""").body()).contains("\"outcome\":\"unavailable\"");
        }
        assertThat(attempts("refund", "re_claims")).as("a failed refund is final: asked again, it is not sent again")
                .containsExactly("1 failed re_claims");
    }

    private String lastChange(String paymentId) {
        return jdbc.sql("SELECT max(updated_at)::text FROM acquirer_operations WHERE operation = 'capture' AND subject_id = :p")
                .param("p", paymentId).query(String.class).single();
    }

    @Test
    void capturesRetriedThroughAnAcquirerOutageAddNoAttemptsAndNeverBreakTheBound() {
        // Before: every new claim through an outage added an attempt; the eleventh broke the attempt bound with a
        // 500, which transaction-service's recovery path asked again every 5 s until it counted auth-service as
        // away and refused every payment.
        jdbc.sql("""
                        INSERT INTO acquirer_operations (id, subject_id, payment_id, merchant_id, operation, acquirer, amount_minor,
                                                         currency, status, network_reference, attempt)
                        VALUES ('auth_pay_outage_captures', 'pay_outage_captures', 'pay_outage_captures', 'mer_auth',
                                'authorize', 'acquirer-a', 500, 'EUR', 'approved', 'net_outage', 1)""").update();
        for (int i = 1; i <= 14; i++) {
            HttpResponse<String> response = capture("pay_outage_captures", "outage-claim-" + i);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains("\"outcome\":\"unavailable\"").doesNotContain("not_called");
        }
        assertThat(attempts("capture", "pay_outage_captures")).containsExactly("1 failed outage-claim-14");
        assertThat(jdbc.sql("SELECT cardinality(earlier_claims) FROM acquirer_operations WHERE subject_id = 'pay_outage_captures'"
                + " AND operation = 'capture'").query(Integer.class).single()).as("every claim answered before").isEqualTo(13);
    }

    @Test
    void nonPositiveAmountIsRejected() {
        HttpResponse<String> response = new TestHttp("https://localhost:" + port, Identities.TRANSACTION)
                .postJson("/internal/v1/authorizations", """
                        {"payment_id": "pay_zero", "merchant_id": "mer_auth", "token": "tok_x", "amount_minor": 0,
                         "currency": "EUR", "capture": true}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"amount_minor\"");
    }
}
