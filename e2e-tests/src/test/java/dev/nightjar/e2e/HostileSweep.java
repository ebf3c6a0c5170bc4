package dev.nightjar.e2e;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.e2e.HostileRequests.Expect;
import dev.nightjar.e2e.HostileRequests.Probe;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.pki.TlsContexts;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.RawHttps;
import dev.nightjar.testsupport.RawHttps.Answer;
import dev.nightjar.testsupport.RawHttps.Header;
import dev.nightjar.testsupport.RawHttps.Request;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * Sends the hostile requests of {@link HostileRequests} to a running fleet and judges every answer by the
 * published contract: never a 5xx; every error in the {@code Error} schema (or the response the operation
 * documents for that status); every 2xx in its documented schema; refusals where the variant must be refused;
 * 405 with {@code Allow} for a method a URL does not serve.
 */
final class HostileSweep {

    private static final int PARALLEL_REQUESTS = 6;
    private static final Duration UNAVAILABLE_PATIENCE = Duration.ofSeconds(30);
    private static final String VISA = "4242424242424242";
    private static final String REVIEW_CARD = "4000000000004954";
    /** The description of a payment the sweep makes: the disk scan's proof that it reads where payments rest. */
    static final String MARKER = "hostile-sweep-control-7f3a";

    private HostileSweep() {
    }

    /** One answer that breaks the contract. */
    record Finding(String operation, String variant, String problem) {

        String kind() {
            return problem.substring(0, problem.indexOf(':') > 0 ? problem.indexOf(':') : problem.length());
        }
    }

    /** What a sweep sent and found. */
    record Report(int requests, Duration took, Map<String, Integer> requestsByOperation, List<Finding> findings,
                  List<String> slowest, int succeeded) {

        /** Findings counted by operation and kind, then the first few of each kind in full. */
        String summary() {
            Map<String, Map<String, Integer>> counts = new TreeMap<>();
            for (Finding finding : findings) {
                counts.computeIfAbsent(finding.operation(), k -> new TreeMap<>()).merge(finding.kind(), 1, Integer::sum);
            }
            StringBuilder out = new StringBuilder();
            out.append(requests).append(" requests in ").append(took.toMillis()).append(" ms (")
                    .append(succeeded).append(" answered 2xx), ").append(findings.size()).append(" findings\n");
            requestsByOperation.forEach((operation, sent) -> out.append(String.format("  %-40s %5d requests  %s%n",
                    operation, sent, counts.getOrDefault(operation, Map.of()))));
            out.append("slowest: ").append(slowest).append('\n');
            Map<String, Integer> shown = new LinkedHashMap<>();
            for (Finding finding : findings) {
                if (shown.merge(finding.kind(), 1, Integer::sum) <= 15) {
                    out.append("  ").append(finding.operation()).append(" | ").append(finding.variant()).append(" | ")
                            .append(finding.problem()).append('\n');
                }
            }
            return out.toString();
        }
    }

    /** The card numbers typed into free text: Luhn-valid, drawn from the seed, unlike any card the platform knows. */
    static List<String> freeTextCards(long seed) {
        Random random = new Random(seed);
        List<String> cards = new ArrayList<>();
        for (int length : new int[] {16, 15}) {
            StringBuilder digits = new StringBuilder(length == 16 ? "49" : "37");
            while (digits.length() < length - 1) {
                digits.append(random.nextInt(10));
            }
            cards.add(digits.append(luhnCheckDigit(digits)).toString());
        }
        return List.copyOf(cards);
    }

    private static int luhnCheckDigit(CharSequence payload) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int digit = payload.charAt(i) - '0';
            if (doubleIt) {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    /** Every operation of docs/openapi.json, broken every way {@link HostileRequests} knows, as a fresh merchant. */
    static Report merchantApi(Fleet.Running fleet, long seed, List<String> freeTextCards) {
        JsonNode document = Json.MAPPER.readTree(Path.of("..", "docs", "openapi.json").toFile());
        MerchantClient shop = sweepMerchant(fleet, "Sweep Shop");
        HostileRequests.Fixtures fixtures = fixtures(shop);
        List<Probe> probes = new HostileRequests(document, fixtures, freeTextCards, seed).all();
        SSLContext tls = TlsContexts.forWorkload(fleet.platform().layout().tls(), null);
        RawHttps gateway = new RawHttps(tls, "localhost", fleet.platform().layout().ports().gateway());
        return send(probes, gateway::send, (probe, answer) -> judge(document, probe, answer));
    }

    /** A new merchant for a sweep; a sweep is a burst of a few thousand requests: not what the rate limit is about. */
    private static MerchantClient sweepMerchant(Fleet.Running fleet, String name) {
        MerchantClient shop = MerchantClient.newMerchant(fleet, name);
        HttpResponse<String> limit = shop.operator(FleetMember.GATEWAY, HttpRequest.newBuilder()
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"per_second\": 100000, \"burst\": 200000}")),
                "/internal/v1/merchants/" + shop.merchantId() + "/rate_limit");
        require(limit, 200);
        return shop;
    }

    /**
     * The same sweep over HTTP/2 (which the gateway negotiates by ALPN), every probe HTTP/2 can carry; fails if
     * any answer came over HTTP/1.1 instead.
     */
    static Report merchantApiOverHttp2(Fleet.Running fleet, long seed, List<String> freeTextCards) {
        JsonNode document = Json.MAPPER.readTree(Path.of("..", "docs", "openapi.json").toFile());
        MerchantClient shop = sweepMerchant(fleet, "Sweep Shop over HTTP/2");
        SSLContext tls = TlsContexts.forWorkload(fleet.platform().layout().tls(), null);
        Http2Exchange gateway = new Http2Exchange(tls, fleet.platform().layout().ports().gateway());
        List<Probe> probes = new HostileRequests(document, fixtures(shop), freeTextCards, seed).all().stream()
                .map(gateway::carry).flatMap(java.util.Optional::stream).toList();
        Report report = send(probes, gateway::send, (probe, answer) -> judge(document, probe, answer));
        if (gateway.answeredOverHttp11() > 0) {
            throw new IllegalStateException(gateway.answeredOverHttp11() + " answers came over HTTP/1.1, not HTTP/2");
        }
        return report;
    }

    /**
     * Every other port of the fleet (each service's own, with the operator's certificate, and each management
     * port): requests broken below the application, where Tomcat and Spring answer before any code of ours.
     */
    static Report otherPorts(Fleet.Running fleet) {
        Path tlsDir = fleet.platform().layout().tls();
        SSLContext operator = TlsContexts.forWorkload(tlsDir, Identities.OPERATOR);
        List<Probe> probes = new ArrayList<>();
        Map<Probe, RawHttps> clients = new java.util.IdentityHashMap<>();
        for (FleetMember member : FleetMember.values()) {
            for (boolean management : new boolean[] {false, true}) {
                if (!management && member == FleetMember.GATEWAY) {
                    continue; // the merchant API has a sweep of its own
                }
                int port = management ? fleet.platform().layout().ports().management(member)
                        : fleet.platform().layout().ports().service(member);
                RawHttps client = new RawHttps(operator, "localhost", port);
                String where = member.instance() + (management ? " management" : "");
                for (Map.Entry<String, Request> entry : portProbes().entrySet()) {
                    Probe probe = new Probe(where, "", entry.getKey(), entry.getValue(), Expect.ANSWER);
                    probes.add(probe);
                    clients.put(probe, client);
                }
            }
        }
        JsonNode document = Json.MAPPER.readTree(Path.of("..", "docs", "openapi.json").toFile());
        return sendEach(probes, probe -> clients.get(probe)::send, (probe, answer) -> judgeOtherPort(document, probe, answer));
    }

    private static Map<String, Request> portProbes() {
        Map<String, Request> probes = new LinkedHashMap<>();
        probes.put("unknown path", get("/nothing/here", List.of()));
        probes.put("malformed escape in the path", get("/actuator/%zz", List.of()));
        probes.put("lone percent in the path", get("/%", List.of()));
        probes.put("NUL in the path", get("/actuator/a%00b", List.of()));
        probes.put("dot dot in the path", get("/actuator/../../etc/passwd", List.of()));
        probes.put("malformed query", get("/actuator/health?x=%zz", List.of()));
        probes.put("20 KiB header", get("/actuator/health", List.of(Header.of("X-Probe", "x".repeat(20 * 1024)))));
        probes.put("NUL in a header", get("/actuator/health", List.of(new Header("X-Probe", new byte[] {'a', 0}))));
        probes.put("Expect teapot", get("/actuator/health", List.of(Header.of("Expect", "teapot"))));
        probes.put("Accept text/html on an unknown path", get("/nothing", List.of(Header.of("Accept", "text/html"))));
        probes.put("no Host", new Request("GET", "/actuator/health", List.of(), null, true, false));
        for (String method : List.of("PUT", "TRACE", "FOO", "CONNECT")) {
            probes.put("method " + method, new Request(method, "/actuator/health", List.of(Header.of("Host", "localhost")),
                    null, true, false));
        }
        probes.put("unsupported transfer coding", new Request("POST", "/actuator/health",
                List.of(Header.of("Host", "localhost"), Header.of("Transfer-Encoding", "gzip")), new byte[0], false, false));
        probes.put("broken JSON to an internal path", new Request("POST", "/internal/v1/nothing",
                List.of(Header.of("Host", "localhost"), Header.of("Content-Type", "application/json")),
                "{\"a\":".getBytes(StandardCharsets.US_ASCII), true, false));
        return probes;
    }

    private static Request get(String target, List<Header> headers) {
        List<Header> all = new ArrayList<>(List.of(Header.of("Host", "localhost")));
        all.addAll(headers);
        return new Request("GET", target, all, null, true, false);
    }

    private static HostileRequests.Fixtures fixtures(MerchantClient shop) {
        String captured = created(shop, "/v1/payments", MerchantClient.cardPayment(99_999_999, VISA)
                .replace("\"currency\"", "\"description\": \"" + MARKER + "\", \"currency\""), "sweep-captured");
        String authorized = created(shop, "/v1/payments", MerchantClient.cardPayment(5000, VISA)
                .replace("\"currency\"", "\"capture_method\": \"manual\", \"currency\""), "sweep-authorized");
        String held = created(shop, "/v1/payments", MerchantClient.cardPayment(1200, REVIEW_CARD), "sweep-held");
        String endpoint = created(shop, "/v1/webhook_endpoints",
                "{\"url\": \"https://shop.example/sweep\", \"events\": [\"payment.captured\"]}", "sweep-endpoint");
        Map<String, String> ids = new LinkedHashMap<>();
        for (String operation : List.of("getPayment", "listRefunds", "createRefund")) {
            ids.put(operation, captured);
        }
        ids.put("capturePayment", authorized);
        ids.put("cancelPayment", authorized);
        ids.put("approveReview", held);
        ids.put("rejectReview", held);
        ids.put("deleteWebhookEndpoint", endpoint);
        return new HostileRequests.Fixtures(shop.accessToken(), shop.basicCredentials(), ids);
    }

    /** The id of what a POST made, retried with its key while the fleet answers 503 (a fleet just started is slow). */
    private static String created(MerchantClient shop, String path, String body, String key) {
        HttpResponse<String> created = Await.until("POST " + path + " answered", UNAVAILABLE_PATIENCE, () -> {
            HttpResponse<String> answer = shop.post(path, body, key);
            return answer.statusCode() == 503 ? null : answer;
        });
        require(created, 201);
        return (String) MerchantClient.json(created.body()).get("id");
    }

    /**
     * The answer to a probe. A 503 with {@code Retry-After} is the platform saying "a dependency is slow, send it
     * again" (the contract's own advice, with the same Idempotency-Key): the probe is sent again, so that a busy
     * machine does not pass for a defect; a 503 that lasts is judged like any other 5xx.
     */
    private static Answer answer(Exchange client, Request request) throws IOException {
        Answer first = client.send(request);
        if (first.status() != 503 || first.header("Retry-After").isEmpty()) {
            return first;
        }
        Answer[] last = {first};
        try {
            return Await.until("an answer other than 503", UNAVAILABLE_PATIENCE, () -> {
                try {
                    last[0] = client.send(request);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return last[0].status() == 503 ? null : last[0];
            });
        } catch (AssertionError e) {
            return last[0];
        }
    }

    private static void require(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException("fixture answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** One request sent, its answer read: over HTTP/1.1 byte for byte ({@link RawHttps}) or over HTTP/2. */
    @FunctionalInterface
    private interface Exchange {
        Answer send(Request request) throws IOException;
    }

    @FunctionalInterface
    private interface Judge {
        String problem(Probe probe, Answer answer);
    }

    private static Report send(List<Probe> probes, Exchange client, Judge judge) {
        return sendEach(probes, probe -> client, judge);
    }

    private static Report sendEach(List<Probe> probes, java.util.function.Function<Probe, Exchange> clients, Judge judge) {
        Instant start = Instant.now();
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> byOperation = new LinkedHashMap<>();
        long[] nanos = new long[probes.size()];
        java.util.concurrent.atomic.AtomicInteger succeeded = new java.util.concurrent.atomic.AtomicInteger();
        try (ExecutorService senders = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
            List<Future<String>> verdicts = new ArrayList<>();
            for (int i = 0; i < probes.size(); i++) {
                Probe probe = probes.get(i);
                int index = i;
                verdicts.add(senders.submit(() -> {
                    long begin = System.nanoTime();
                    try {
                        Answer answer = answer(clients.apply(probe), probe.request());
                        if (answer.status() >= 200 && answer.status() < 300) {
                            succeeded.incrementAndGet();
                        }
                        return judge.problem(probe, answer);
                    } catch (IOException e) {
                        return probe.expect() == Expect.ANSWER_OR_HANG_UP ? null : "no answer: " + e.getMessage();
                    } finally {
                        nanos[index] = System.nanoTime() - begin;
                    }
                }));
            }
            for (int i = 0; i < probes.size(); i++) {
                Probe probe = probes.get(i);
                byOperation.merge(probe.operation(), 1, Integer::sum);
                String problem = verdicts.get(i).get();
                if (problem != null) {
                    findings.add(new Finding(probe.operation(), probe.variant(), problem));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        return new Report(probes.size(), Duration.between(start, Instant.now()), byOperation, findings, slowest(probes, nanos),
                succeeded.get());
    }

    /** The ten slowest requests: where the sweep's time goes. */
    private static List<String> slowest(List<Probe> probes, long[] nanos) {
        return java.util.stream.IntStream.range(0, probes.size()).boxed()
                .sorted((a, b) -> Long.compare(nanos[b], nanos[a])).limit(10)
                .map(i -> probes.get(i).operation() + " " + probes.get(i).variant() + " " + nanos[i] / 1_000_000 + " ms")
                .toList();
    }

    /** Null when the answer keeps the contract, else what is wrong with it. */
    static String judge(JsonNode document, Probe probe, Answer answer) {
        int status = answer.status();
        boolean head = probe.request().method().equals("HEAD");
        String body = answer.text();
        if (status >= 500) {
            return "5xx: " + status + " " + abbreviate(body);
        }
        if (probe.expect() == Expect.NOT_ALLOWED && status != 405) {
            return "not 405: " + status + " " + abbreviate(body);
        }
        if (status == 405 && answer.header("Allow").isEmpty()) {
            return "405 without Allow";
        }
        JsonNode documented = document.path("paths").path(probe.path()).path(probe.request().method().toLowerCase(Locale.ROOT))
                .path("responses").path(Integer.toString(status));
        if (status >= 400) {
            if (head) {
                return null;
            }
            if (documented.isObject() && !documented.has("content")) {
                // the token endpoint's own errors are documented in the shape of RFC 6749; what the server refuses
                // before the endpoint sees it (a malformed URL or header) is in the API's shape like everywhere
                boolean rfc6749 = body.startsWith("{") && MerchantClient.json(body).get("error") instanceof String;
                return rfc6749 ? null : offContract(answer, document.at("/components/schemas/Error"), "error");
            }
            JsonNode schema = documented.path("content").path("application/json").path("schema");
            return offContract(answer, schema.isMissingNode() ? document.at("/components/schemas/Error") : schema, "error");
        }
        if (status >= 200 && status < 300) {
            if (probe.expect() == Expect.REFUSED) {
                return "accepted: " + status + " for what must be refused";
            }
            if (head || probe.request().method().equals("OPTIONS")) {
                return head || body.isEmpty() ? null : "2xx off-contract: OPTIONS answered with a body";
            }
            if (!documented.isObject()) {
                return "2xx off-contract: status " + status + " is not documented";
            }
            return offContract(answer, documented.path("content").path("application/json").path("schema"), "2xx");
        }
        return "unexpected status: " + status;
    }

    private static String judgeOtherPort(JsonNode document, Probe probe, Answer answer) {
        if (answer.status() >= 500) {
            return "5xx: " + answer.status() + " " + abbreviate(answer.text());
        }
        if (answer.status() >= 400) {
            if (answer.status() == 405 && answer.header("Allow").isEmpty()) {
                return "405 without Allow";
            }
            return offContract(answer, document.at("/components/schemas/Error"), "error");
        }
        return null;
    }

    private static String offContract(Answer answer, JsonNode schema, String what) {
        String type = answer.header("Content-Type").orElse("");
        if (!type.startsWith("application/json")) {
            return "off-contract " + what + ": " + answer.status() + " as " + (type.isEmpty() ? "no content type" : type)
                    + " " + abbreviate(answer.text());
        }
        List<String> violations = ApiSchemas.violations(schema, answer.text());
        return violations.isEmpty() ? null : "off-contract " + what + ": " + answer.status() + " " + abbreviate(answer.text())
                + " " + violations;
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }

    /** Writes the report where a developer finds it after the run. */
    static void save(Report report, String name) {
        try {
            Path file = Path.of("target", name + ".txt");
            Files.createDirectories(file.getParent());
            StringBuilder all = new StringBuilder(report.summary()).append("\nEvery finding:\n");
            report.findings().forEach(f -> all.append("  ").append(f.operation()).append(" | ").append(f.variant())
                    .append(" | ").append(f.problem()).append('\n'));
            Files.writeString(file, all);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
