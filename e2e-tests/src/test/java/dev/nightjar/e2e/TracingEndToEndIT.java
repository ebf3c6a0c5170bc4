package dev.nightjar.e2e;

import static dev.nightjar.e2e.MerchantClient.cardPayment;
import static dev.nightjar.e2e.MerchantClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.observe.PaymentTraces;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.WebhookReceiver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One payment is one trace in the platform's real Zipkin server: from the gateway's request through every
 * service it calls, the outbox relay, and each Kafka consumer (ledger, risk, settlement, webhooks) to the
 * webhook's delivery, with the payment's identifiers on its spans and no card number anywhere in it.
 */
@ExtendWith(Fleet.class)
class TracingEndToEndIT {

    private static final String CARD = "4242424242424242";
    private static final Duration TRACE_COMPLETE = Duration.ofSeconds(90);

    private static WebhookReceiver receiver;
    private static MerchantClient shop;

    @BeforeAll
    static void merchant() {
        receiver = new WebhookReceiver(Fleet.running().platform().layout().tls());
        shop = MerchantClient.newMerchant(Fleet.running(), "Traced Shop");
        HttpResponse<String> endpoint = shop.post("/v1/webhook_endpoints", """
                {"url": "%s", "events": ["payment.captured"]}""".formatted(receiver.url("/traced")), null);
        assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void aPaymentIsOneTraceAcrossEveryServiceAndKafkaConsumer() {
        String paymentId = pay();
        PaymentTraces traces = new PaymentTraces(Fleet.running().platform().zipkin().url());
        Set<String> wanted = Set.of("gateway-service", "vault-service", "risk-service", "transaction-service",
                "auth-service", "acquirer-simulator", "ledger-service", "settlement-service");
        Set<String> wantedSpans = Set.of("outbox.publish", "ledger.book", "risk.learn", "settlement.record",
                "webhooks.enqueue", "webhook.deliver");

        List<PaymentTraces.Span> trace = Await.until("one whole trace of " + paymentId + " with every service and consumer",
                TRACE_COMPLETE, () -> {
                    List<PaymentTraces.Span> spans = wholeTrace(traces, paymentId);
                    if (spans == null) {
                        return null;
                    }
                    Set<String> services = new TreeSet<>();
                    Set<String> names = new TreeSet<>();
                    spans.forEach(span -> {
                        services.add(span.service());
                        names.add(span.name());
                    });
                    return services.containsAll(wanted) && names.containsAll(wantedSpans) ? spans : null;
                });

        assertThat(trace.stream().map(PaymentTraces.Span::traceId).distinct()).hasSize(1);
        assertThat(trace).filteredOn(span -> span.parentId() == null).as("one root").hasSize(1);
        assertThat(trace.stream().filter(span -> span.parentId() == null).findFirst().orElseThrow().service())
                .isEqualTo("gateway-service");
        assertThat(trace).as("transaction-service tags the payment")
                .anyMatch(span -> span.service().equals("transaction-service") && paymentId.equals(span.tags().get("payment.id"))
                        && span.tags().containsKey("merchant.id") && span.tags().containsKey("risk.score"));
        assertThat(trace).as("auth-service tags the acquirer, attempt and outcome")
                .anyMatch(span -> span.service().equals("auth-service") && span.tags().getOrDefault("acquirer", "").startsWith("acquirer-")
                        && "1".equals(span.tags().get("attempt")) && span.tags().containsKey("outcome"));
        assertThat(trace).as("the ledger's span names the payment")
                .anyMatch(span -> span.name().equals("ledger.book") && paymentId.equals(span.tags().get("payment.id")));
        assertThat(trace).as("the webhook was delivered in the trace")
                .anyMatch(span -> span.name().equals("webhook.deliver") && "delivered".equals(span.tags().get("outcome")));
    }

    @Test
    void noCardNumberReachesATrace() {
        String paymentId = pay();
        PaymentTraces traces = new PaymentTraces(Fleet.running().platform().zipkin().url());
        List<PaymentTraces.Span> trace = Await.until("the ledger's span of " + paymentId, TRACE_COMPLETE, () -> {
            List<List<PaymentTraces.Span>> all = traces.of(paymentId, Duration.ofMinutes(30));
            return all.size() == 1 && all.getFirst().stream().anyMatch(span -> span.name().equals("ledger.book"))
                    ? all.getFirst() : null;
        });

        String everything = trace.toString();
        assertThat(everything).contains(paymentId).doesNotContain(CARD).doesNotContain(CARD.substring(0, 6) + CARD.substring(12));
    }

    @Test
    void theTraceCommandPrintsThePaymentAsATree() {
        String paymentId = pay();
        PaymentTraces traces = new PaymentTraces(Fleet.running().platform().zipkin().url());
        Await.until("a whole trace of " + paymentId + " with the ledger's span", TRACE_COMPLETE, () -> {
            List<PaymentTraces.Span> spans = wholeTrace(traces, paymentId);
            return spans != null && spans.stream().anyMatch(span -> span.name().equals("ledger.book")) ? true : null;
        });
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int count = traces.print(paymentId, Duration.ofMinutes(30), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String tree = printed.toString(StandardCharsets.UTF_8);
        assertThat(count).isEqualTo(1);
        assertThat(tree).contains("trace ").contains("gateway-service").contains("transaction-service")
                .contains("ledger-service  ledger.book").contains("payment.id=" + paymentId).contains(" ms");
        assertThat(tree.lines().filter(line -> line.contains("ledger.book")).findFirst().orElseThrow())
                .as("a consumer's span is indented under its parent").startsWith("      ");
    }

    /**
     * The payment's one trace once no span in it names a parent that has not reached Zipkin yet, else null. Each
     * service sends its spans in its own batches, seconds apart, so a trace can be read while a service's next batch
     * (a server span that ended after its client spans were sent, say) is still on its way; a span that never comes
     * keeps the trace unfinished until the wait's deadline.
     */
    private static List<PaymentTraces.Span> wholeTrace(PaymentTraces traces, String paymentId) {
        List<List<PaymentTraces.Span>> all = traces.of(paymentId, Duration.ofMinutes(30));
        if (all.size() != 1) {
            return null;
        }
        List<PaymentTraces.Span> spans = all.getFirst();
        Set<String> ids = new TreeSet<>();
        spans.forEach(span -> ids.add(span.id()));
        return spans.stream().allMatch(span -> span.parentId() == null || ids.contains(span.parentId())) ? spans : null;
    }

    /** An automatically captured payment, whose webhook and settlement item follow. */
    private static String pay() {
        HttpResponse<String> paid = shop.post("/v1/payments", cardPayment(2100, CARD), null);
        assertThat(paid.statusCode()).as(paid.body()).isEqualTo(201);
        String id = (String) json(paid.body()).get("id");
        assertThat(json(paid.body()).get("status")).isEqualTo("captured");
        return id;
    }
}
