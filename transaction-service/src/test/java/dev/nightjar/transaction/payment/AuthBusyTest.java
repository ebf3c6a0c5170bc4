package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.http.BusyRetry;
import dev.nightjar.common.security.Identities;
import dev.nightjar.transaction.domain.PaymentCommand;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * auth-service as transaction-service counts it, over a real socket: a 503 it sheds at once because it is at its
 * limit (the {@code Nightjar-Busy} header of every service's in-flight filter) leaves it answering; a 503 without
 * the header is an outage, and after as many in a row as configured no new payment is started. A busy auth-service
 * did nothing with the request, so it is asked again, a few times, before the outcome counts as unknown.
 */
class AuthBusyTest {

    private static final int FAILURES_TO_OPEN = 3;
    private static final String APPROVED = """
            {"outcome":"approved","acquirer":"acquirer-a","network_reference":"net_1","authorization_code":"A1B2C3",\
            "captured":true}""";

    /** Plays auth-service: answers each request as the next of {@code answers} says, the last one from then on. */
    private static final class FakeAuth implements AutoCloseable {

        enum Answer { BUSY, PLAIN_503, APPROVE }

        private final HttpServer server;
        private final AtomicInteger requests = new AtomicInteger();
        private volatile List<Answer> answers;

        FakeAuth(Answer... answers) throws IOException {
            this.answers = List.of(answers);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            server.createContext("/", exchange -> {
                int n = requests.getAndIncrement();
                List<Answer> script = this.answers;
                Answer answer = script.get(Math.min(n, script.size() - 1));
                boolean approve = answer == Answer.APPROVE;
                byte[] body = (approve ? APPROVED
                        : "{\"error\":{\"type\":\"api_error\",\"code\":\"service_unavailable\",\"message\":\"busy\"}}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                if (!approve) {
                    exchange.getResponseHeaders().set(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
                }
                if (answer == Answer.BUSY) {
                    exchange.getResponseHeaders().set(ApiException.BUSY, "true");
                }
                exchange.sendResponseHeaders(approve ? 201 : 503, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        /** From now on every request is answered {@code answer}; the count starts again. */
        void answerAlways(Answer answer) {
            answers = List.of(answer);
            requests.set(0);
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void anAuthServiceSheddingRequestsIsBusyAndOneAnsweringPlain503sIsAway() throws IOException {
        try (FakeAuth auth = new FakeAuth(FakeAuth.Answer.BUSY)) {
            Collaborators collaborators = collaborators(auth.url());
            for (int i = 0; i < 2 * FAILURES_TO_OPEN; i++) {
                collaborators.authorize(TestPayments.received("mer_1", 1999));
            }
            assertThat(collaborators.authIsAway()).as("six busy answers in a row").isFalse();

            auth.answerAlways(FakeAuth.Answer.PLAIN_503);
            for (int i = 0; i < FAILURES_TO_OPEN; i++) {
                collaborators.authorize(TestPayments.received("mer_1", 1999));
            }
            assertThat(collaborators.authIsAway()).as("three plain 503s in a row").isTrue();
        }
    }

    @Test
    void aBusyAuthServiceIsAskedAgainAndItsLaterAnswerDecidesThePayment() throws IOException {
        try (FakeAuth auth = new FakeAuth(FakeAuth.Answer.BUSY, FakeAuth.Answer.BUSY, FakeAuth.Answer.APPROVE)) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            Collaborators collaborators = collaborators(auth.url(), meters);

            PaymentCommand.ApplyAuthorization result = collaborators.authorize(TestPayments.received("mer_1", 1999));

            assertThat(result.outcome()).isEqualTo(PaymentCommand.ApplyAuthorization.Outcome.APPROVED);
            assertThat(result.networkReference()).isEqualTo("net_1");
            assertThat(auth.requests).hasValue(3);
            assertThat(meters.counter("nightjar.busy.retries", "callee", "auth-service").count()).isEqualTo(2.0);
        }
    }

    @Test
    void anAuthServiceBusyEveryTimeLeavesTheOutcomeUnknownAfterItsRetriesAndAPlain503IsNotAskedAgain()
            throws IOException {
        try (FakeAuth auth = new FakeAuth(FakeAuth.Answer.BUSY)) {
            Collaborators collaborators = collaborators(auth.url());

            assertThat(collaborators.authorize(TestPayments.received("mer_1", 1999)).outcome())
                    .isEqualTo(PaymentCommand.ApplyAuthorization.Outcome.UNKNOWN);
            assertThat(auth.requests).hasValue(1 + BusyRetry.WAITS.size());

            auth.answerAlways(FakeAuth.Answer.PLAIN_503);
            assertThat(collaborators.authorize(TestPayments.received("mer_1", 1999)).outcome())
                    .isEqualTo(PaymentCommand.ApplyAuthorization.Outcome.UNKNOWN);
            assertThat(auth.requests).as("an outage is not asked again at once").hasValue(1);
        }
    }

    private static Collaborators collaborators(String authUrl) {
        return collaborators(authUrl, new SimpleMeterRegistry());
    }

    private static Collaborators collaborators(String authUrl, SimpleMeterRegistry meters) {
        return TestCollaborators.calling(Identities.AUTH, authUrl, Duration.ofSeconds(2),
                new Availability(Identities.AUTH, FAILURES_TO_OPEN, Duration.ofSeconds(1), Duration.ofSeconds(8)),
                meters);
    }
}
