package dev.nightjar.e2e;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.RawHttps;
import dev.nightjar.testsupport.RawHttps.Header;
import dev.nightjar.testsupport.RawHttps.Request;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hostile variants of every operation of the published OpenAPI document: every path parameter, query
 * parameter and header the API reads, every field of every request body (its schema walked, nested objects,
 * maps and arrays included), the body as a whole, the methods and the content types. Each variant starts from
 * the operation's documented example and breaks one thing. The same seed gives the same requests.
 */
final class HostileRequests {

    /** What an answer must be, beyond never a 5xx and always in the contract's shape. */
    enum Expect {
        /** Whatever the contract allows: the variant may well be valid. */
        ANSWER,
        /** A 4xx: the request is refused and nothing is done. */
        REFUSED,
        /** 405 with an {@code Allow} header. */
        NOT_ALLOWED,
        /** Any answer the contract allows, or none: the client hung up before its body was complete. */
        ANSWER_OR_HANG_UP
    }

    /** One request and what its answer must be; {@code path} and {@code method} name the documented operation. */
    record Probe(String path, String method, String variant, Request request, Expect expect) {

        String operation() {
            return method + " " + path;
        }
    }

    /** What the probes need from the fleet: credentials, and an id that exists for each operation with one in its path. */
    record Fixtures(String bearer, String basic, Map<String, String> pathIds) {
    }

    /** A hostile JSON value, as the raw bytes that go between the field's colon and what follows it. */
    private record Hostile(String name, byte[] json, Expect expect) {

        static Hostile of(String name, String json, Expect expect) {
            return new Hostile(name, json.getBytes(StandardCharsets.UTF_8), expect);
        }

        /** A JSON string holding raw bytes (not valid UTF-8, say) between {@code "a} and {@code b"}. */
        static Hostile rawString(String name, int... bytes) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes("\"a".getBytes(StandardCharsets.US_ASCII));
            for (int b : bytes) {
                out.write(b);
            }
            out.writeBytes("b\"".getBytes(StandardCharsets.US_ASCII));
            return new Hostile(name, out.toByteArray(), Expect.REFUSED);
        }
    }

    private static final String MARK = "@@hostile@@";
    private static final String KEY_MARK = "@@key@@";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
            "TRACE", "CONNECT", "FOO", "get");

    private final JsonNode document;
    private final Fixtures fixtures;
    private final List<String> freeTextCards;
    private final String keyPrefix;
    private int keys;
    private final List<Probe> probes = new ArrayList<>();

    /**
     * @param freeTextCards card numbers to type into every free-text field, header and parameter (they must be
     *                      refused wherever they would be kept, and are looked for on disk afterwards)
     */
    HostileRequests(JsonNode document, Fixtures fixtures, List<String> freeTextCards, long seed) {
        this.document = document;
        this.fixtures = fixtures;
        this.freeTextCards = List.copyOf(freeTextCards);
        this.keyPrefix = "sweep-" + Long.toHexString(seed) + "-";
    }

    /** Every probe, in a fixed order. */
    List<Probe> all() {
        Map<String, List<Operation>> byPath = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                Operation operation = new Operation(path.getKey(), method.getKey().toUpperCase(Locale.ROOT), method.getValue());
                byPath.computeIfAbsent(path.getKey(), key -> new ArrayList<>()).add(operation);
                pathParameters(operation);
                queryParameters(operation);
                headers(operation);
                if (operation.contentType() != null) {
                    contentTypes(operation);
                    if (operation.isJson()) {
                        wholeBodies(operation);
                        fields(operation, List.of(), schemaOf(operation));
                    } else {
                        formBodies(operation);
                    }
                }
            }
        }
        byPath.values().forEach(this::methods);
        return List.copyOf(probes);
    }

    // ---------------------------------------------------------------- operations and their baseline request

    private record Operation(String path, String method, JsonNode node) {

        String id() {
            return node.path("operationId").asString();
        }

        String contentType() {
            JsonNode content = node.path("requestBody").path("content");
            return content.isObject() && !content.propertyNames().isEmpty() ? content.propertyNames().iterator().next() : null;
        }

        boolean isJson() {
            return "application/json".equals(contentType());
        }

        boolean bodyRequired() {
            return node.path("requestBody").path("required").asBoolean(false);
        }

        JsonNode example() {
            return node.path("requestBody").path("content").path(contentType()).path("example");
        }

        List<JsonNode> parameters(String in) {
            List<JsonNode> found = new ArrayList<>();
            for (JsonNode parameter : node.path("parameters")) {
                if (in.equals(parameter.path("in").asString())) {
                    found.add(parameter);
                }
            }
            return found;
        }

        /** Bearer (the merchant API), Basic (the token endpoint) or nothing (security: []). */
        String security() {
            JsonNode security = node.path("security");
            if (security.isArray() && security.isEmpty()) {
                return "none";
            }
            return security.toString().contains("clientCredentials") ? "basic" : "bearer";
        }

        boolean merchantApi() {
            return path.startsWith("/v1/");
        }

        /**
         * Whether variants that may well succeed are sent here: to reads, and to taking a payment. Elsewhere each
         * would only do the same work again (a refund, a capture, a token) through code the payment already ran,
         * and every success costs the fleet a real payment's worth of work.
         */
        boolean broad() {
            return method.equals("GET") || id().equals("createPayment");
        }
    }

    /** A request being built: the operation's valid request, which one variant then breaks. */
    private final class Draft {

        final Operation operation;
        String method;
        final Map<String, String> pathValues = new LinkedHashMap<>();
        String pathOverride;
        String query;
        final List<Header> headers = new ArrayList<>();
        byte[] body;
        boolean declareLength = true;
        boolean halfClose;

        Draft(Operation operation) {
            this.operation = operation;
            this.method = operation.method();
            headers.add(Header.of("Host", "localhost"));
            for (JsonNode parameter : operation.parameters("path")) {
                String name = parameter.path("name").asString();
                String id = fixtures.pathIds().get(operation.id());
                if (id == null) {
                    throw new IllegalStateException("no fixture id for " + operation.id() + " (path parameter " + name + ")");
                }
                pathValues.put(name, id);
            }
            switch (operation.security()) {
                case "bearer" -> headers.add(Header.of("Authorization", "Bearer " + fixtures.bearer()));
                case "basic" -> headers.add(Header.of("Authorization", "Basic " + fixtures.basic()));
                default -> {
                }
            }
            if (!operation.parameters("header").stream()
                    .filter(p -> p.path("name").asString().equals("Idempotency-Key")).toList().isEmpty()) {
                headers.add(Header.of("Idempotency-Key", keyPrefix + keys++));
            }
            if (operation.contentType() != null) {
                headers.add(Header.of("Content-Type", operation.contentType()));
                body = operation.isJson() ? Json.MAPPER.writeValueAsBytes(operation.example())
                        : "grant_type=client_credentials&scope=payments%3Aread".getBytes(StandardCharsets.US_ASCII);
            }
        }

        Draft header(String name, byte[] value) {
            without(name);
            headers.add(new Header(name, value));
            return this;
        }

        Draft header(String name, String value) {
            return header(name, value.getBytes(StandardCharsets.ISO_8859_1));
        }

        Draft add(String name, String value) {
            headers.add(Header.of(name, value));
            return this;
        }

        Draft without(String name) {
            headers.removeIf(h -> h.name().equalsIgnoreCase(name));
            return this;
        }

        Draft body(byte[] bytes) {
            this.body = bytes;
            return this;
        }

        Request request() {
            String target = pathOverride;
            if (target == null) {
                target = operation.path();
                for (Map.Entry<String, String> value : pathValues.entrySet()) {
                    target = target.replace("{" + value.getKey() + "}", value.getValue());
                }
            }
            if (query != null) {
                target = target + "?" + query;
            }
            return new Request(method, target, headers, body, declareLength, halfClose);
        }
    }

    private void probe(Operation operation, String variant, Expect expect, UnaryOperator<Draft> change) {
        if (expect == Expect.ANSWER && !operation.broad() && !operation.security().equals("basic")
                && !operation.security().equals("none") && !variant.startsWith("field ") && !variant.startsWith("body")
                && !variant.startsWith("method ")) {
            return; // see Operation.broad
        }
        probes.add(new Probe(operation.path(), operation.method(), variant, change.apply(new Draft(operation)).request(), expect));
    }

    // ---------------------------------------------------------------- methods

    private void methods(List<Operation> operations) {
        Set<String> documented = new java.util.HashSet<>();
        operations.forEach(operation -> documented.add(operation.method()));
        Operation any = operations.stream().filter(o -> o.method().equals("GET")).findFirst().orElse(operations.get(0));
        for (String method : METHODS) {
            if (documented.contains(method)) {
                continue;
            }
            boolean headOfGet = method.equals("HEAD") && documented.contains("GET");
            // CONNECT takes host:port, never a path: a request line of CONNECT and a path is malformed (400)
            Expect expect = headOfGet || method.equals("OPTIONS") ? Expect.ANSWER
                    : method.equals("CONNECT") ? Expect.REFUSED : Expect.NOT_ALLOWED;
            probe(any, "method " + method, expect, draft -> {
                draft.method = method;
                draft.without("Content-Type");
                draft.body = null;
                return draft;
            });
        }
    }

    // ---------------------------------------------------------------- path parameters

    private void pathParameters(Operation operation) {
        for (JsonNode parameter : operation.parameters("path")) {
            String name = parameter.path("name").asString();
            Map<String, String> values = new LinkedHashMap<>();
            values.put("NUL escaped", "%00");
            values.put("malformed escape", "%zz");
            values.put("lone percent", "%");
            values.put("dot dot", "..");
            values.put("escaped dot dot", "%2e%2e");
            values.put("escaped slash", "a%2Fb");
            values.put("escaped backslash", "a%5Cb");
            values.put("double escaped", "%252e%252e");
            values.put("matrix parameter", "x;jsessionid=1");
            values.put("empty", "");
            values.put("space", "a%20b");
            values.put("overlong UTF-8 slash", "%C0%AF");
            values.put("invalid UTF-8", "%C3%28");
            values.put("escaped Cyrillic", "%D0%BA%D0%BB%D1%8E%D1%87");
            values.put("raw UTF-8 bytes", "\u00D0\u00BA\u00D0\u00BB");
            values.put("raw C1 byte", "a\u0085b");
            values.put("asterisk", "*");
            values.put("300 characters", "x".repeat(300));
            values.put("lower-case id", "pay_" + "a".repeat(26));
            values.put("unknown well-formed id", "pay_00000000000000000000000000");
            values.put("id of another kind", "re_01JD7V9F1Q2W3E4R5T6Y7U8I9O");
            for (String card : freeTextCards) {
                values.put("card number", card);
            }
            values.forEach((variant, value) -> probe(operation, "path " + name + ": " + variant, Expect.REFUSED, draft -> {
                draft.pathValues.put(name, value);
                return draft;
            }));
        }
        if (operation.broad()) {
            Map<String, String> paths = new LinkedHashMap<>();
            paths.put("trailing slash", operation.path() + "/");
            paths.put("double slash", operation.path().replaceFirst("/", "//"));
            paths.put("upper case", operation.path().toUpperCase(Locale.ROOT));
            paths.put("dot segment", operation.path().replaceFirst("/", "/./"));
            paths.put("escaped slash", operation.path().replaceFirst("/", "%2F"));
            paths.put("absolute form", "https://localhost" + operation.path());
            paths.put("20 KiB path", operation.path() + "/" + "x".repeat(20 * 1024));
            paths.forEach((variant, path) -> probe(operation, "target: " + variant, Expect.ANSWER, draft -> {
                draft.pathOverride = path.replaceAll("\\{[a-z_]+}", draft.pathValues.values().stream().findFirst().orElse("x"));
                return draft;
            }));
        }
    }

    // ---------------------------------------------------------------- query parameters

    private void queryParameters(Operation operation) {
        List<JsonNode> parameters = operation.parameters("query");
        Expect unknown = operation.merchantApi() ? Expect.REFUSED : Expect.ANSWER;
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asString();
            Map<String, String> values = new LinkedHashMap<>();
            values.put("malformed escape", "%zz");
            values.put("lone percent", "%");
            values.put("truncated escape", "%0");
            values.put("NUL", "%00");
            values.put("empty", "");
            values.put("negative", "-1");
            values.put("zero", "0");
            values.put("101", "101");
            values.put("exponent", "1e1");
            values.put("fraction", "1.5");
            values.put("plus sign", "%2B5");
            values.put("huge", "99999999999999999999");
            values.put("invalid UTF-8", "%C3%28");
            values.put("raw byte", "\u00FF");
            values.put("space padded", "%205%20");
            values.put("5000 characters", "9".repeat(5000));
            values.forEach((variant, value) -> probe(operation, "query " + name + ": " + variant, Expect.ANSWER,
                    draft -> query(draft, name + "=" + value)));
            for (String card : freeTextCards) {
                probe(operation, "query " + name + ": card number", Expect.REFUSED, draft -> query(draft, name + "=" + card));
            }
            probe(operation, "query " + name + ": repeated", Expect.REFUSED, draft -> query(draft, name + "=5&" + name + "=6"));
            probe(operation, "query " + name + ": without =", Expect.ANSWER, draft -> query(draft, name));
        }
        probe(operation, "query: unknown parameter", unknown, draft -> query(draft, "colour=red"));
        probe(operation, "query: unknown parameter with a malformed name", unknown, draft -> query(draft, "%zz=1"));
        probe(operation, "query: unknown parameter with a C1 name", unknown, draft -> query(draft, "a%C2%85b=1"));
        probe(operation, "query: empty name", Expect.ANSWER, draft -> query(draft, "=1"));
        probe(operation, "query: only separators", Expect.ANSWER, draft -> query(draft, "&&&"));
        probe(operation, "query: 2000 parameters", unknown, draft -> {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 2000; i++) {
                many.append(i == 0 ? "" : "&").append("p").append(i).append("=1");
            }
            return query(draft, many.toString());
        });
        for (String card : freeTextCards) {
            probe(operation, "query: a card number as an unknown parameter's value", unknown, draft -> query(draft, "note=" + card));
            probe(operation, "query: a card number as an unknown parameter's name", unknown, draft -> query(draft, card + "=1"));
        }
    }

    private static Draft query(Draft draft, String query) {
        draft.query = query;
        return draft;
    }

    // ---------------------------------------------------------------- headers

    private void headers(Operation operation) {
        if (operation.security().equals("bearer")) {
            Map<String, byte[]> values = new LinkedHashMap<>();
            values.put("empty", new byte[0]);
            values.put("scheme only", bytes("Bearer"));
            values.put("not a JWT", bytes("Bearer not.a.jwt"));
            values.put("Basic", bytes("Basic " + fixtures.basic()));
            values.put("C1 byte after the token", concat(bytes("Bearer " + fixtures.bearer()), new byte[] {(byte) 0x85}));
            values.put("UTF-8 after the token", concat(bytes("Bearer " + fixtures.bearer()), "ключ".getBytes(StandardCharsets.UTF_8)));
            values.put("20 KiB", bytes("Bearer " + "x".repeat(20 * 1024)));
            for (String card : freeTextCards) {
                values.put("a card number", bytes("Bearer " + card));
            }
            values.forEach((variant, value) -> probe(operation, "header Authorization: " + variant, Expect.REFUSED,
                    draft -> draft.header("Authorization", value)));
            probe(operation, "header Authorization: missing", Expect.REFUSED, draft -> draft.without("Authorization"));
            probe(operation, "header Authorization: lower-case scheme", Expect.ANSWER,
                    draft -> draft.header("Authorization", "bearer " + fixtures.bearer()));
            probe(operation, "header Authorization: repeated", Expect.REFUSED,
                    draft -> draft.add("Authorization", "Bearer " + fixtures.bearer()));
            probe(operation, "header Authorization: repeated, second one another", Expect.REFUSED,
                    draft -> draft.add("Authorization", "Bearer not.a.jwt"));
        } else {
            probe(operation, "header Authorization: garbage where none is needed", Expect.ANSWER,
                    draft -> draft.header("Authorization", "Bearer not.a.jwt"));
        }
        if (!operation.parameters("header").isEmpty()) {
            Map<String, byte[]> keyValues = new LinkedHashMap<>();
            keyValues.put("empty", new byte[0]);
            keyValues.put("blank", bytes("   "));
            keyValues.put("256 characters", bytes("k".repeat(256)));
            keyValues.put("UTF-8 (C1 bytes)", "ключ".getBytes(StandardCharsets.UTF_8));
            keyValues.put("Latin-1 byte", new byte[] {'k', (byte) 0xE9});
            keyValues.put("tab inside", bytes("a\tb"));
            keyValues.put("DEL", bytes("a\u007Fb"));
            keyValues.put("NUL", new byte[] {'a', 0, 'b'});
            keyValues.forEach((variant, value) -> probe(operation, "header Idempotency-Key: " + variant, Expect.REFUSED,
                    draft -> draft.header("Idempotency-Key", value)));
            probe(operation, "header Idempotency-Key: repeated", Expect.REFUSED, draft -> draft.add("Idempotency-Key", "other"));
            probe(operation, "header Idempotency-Key: repeated, both empty", Expect.REFUSED,
                    draft -> draft.header("Idempotency-Key", "").add("Idempotency-Key", ""));
            probe(operation, "header Idempotency-Key: 255 characters", Expect.ANSWER,
                    draft -> draft.header("Idempotency-Key", (keyPrefix + keys++ + "-").repeat(40).substring(0, 255)));
            for (String card : freeTextCards) {
                // accepted, and kept only as a keyed hash: the disk scan afterwards proves it
                probe(operation, "header Idempotency-Key: a card number", Expect.ANSWER,
                        draft -> draft.header("Idempotency-Key", card + "-" + keyPrefix + keys++));
            }
        }
        record Odd(String variant, Expect expect, UnaryOperator<Draft> change) {
        }
        List<Odd> odd = new ArrayList<>(List.of(
                new Odd("NUL in a header value", Expect.REFUSED, draft -> draft.header("X-Probe", new byte[] {'a', 0, 'b'})),
                new Odd("C1 byte in an unread header", Expect.ANSWER, draft -> draft.header("X-Probe", new byte[] {'a', (byte) 0x85, 'b'})),
                new Odd("space in a header name", Expect.REFUSED, draft -> draft.add("X Probe", "1")),
                new Odd("colon-less header line", Expect.REFUSED, draft -> draft.header("X-Probe", "1\r\nNoColonHere")),
                new Odd("folded header", Expect.ANSWER, draft -> draft.header("X-Probe", "a\r\n b")),
                new Odd("20 KiB header", Expect.REFUSED, draft -> draft.header("X-Probe", "x".repeat(20 * 1024))),
                new Odd("150 headers", Expect.REFUSED, draft -> {
                    for (int i = 0; i < 150; i++) {
                        draft.add("X-Probe-" + i, "1");
                    }
                    return draft;
                }),
                new Odd("no Host", Expect.REFUSED, draft -> draft.without("Host")),
                new Odd("two Hosts", Expect.REFUSED, draft -> draft.add("Host", "example.com")),
                new Odd("Accept text/html", Expect.ANSWER, draft -> draft.header("Accept", "text/html")),
                new Odd("Accept application/xml", Expect.ANSWER, draft -> draft.header("Accept", "application/xml")),
                new Odd("Accept with a C1 byte", Expect.ANSWER, draft -> draft.header("Accept", new byte[] {'a', (byte) 0x85})),
                new Odd("Transfer-Encoding gzip", Expect.REFUSED, draft -> draft.add("Transfer-Encoding", "gzip")),
                new Odd("Expect 100-continue", Expect.ANSWER, draft -> draft.add("Expect", "100-continue")),
                new Odd("Expect something else", Expect.ANSWER, draft -> draft.add("Expect", "teapot"))));
        if (operation.contentType() != null) {
            odd.add(new Odd("Content-Length and chunked", Expect.REFUSED, draft -> draft.add("Transfer-Encoding", "chunked")));
        }
        for (String card : freeTextCards) {
            odd.add(new Odd("a card number in an unread header", Expect.ANSWER, draft -> draft.header("X-Note", card)));
        }
        odd.forEach(o -> probe(operation, "headers: " + o.variant(), o.expect(), o.change()));
    }

    // ---------------------------------------------------------------- content types and bodies

    private void contentTypes(Operation operation) {
        Map<String, Expect> types = new LinkedHashMap<>();
        if (operation.isJson()) {
            types.put("text/plain", Expect.REFUSED);
            types.put("application/x-www-form-urlencoded", Expect.REFUSED);
            types.put("multipart/form-data; boundary=x", Expect.REFUSED);
            types.put("application/json; charset=utf-16", Expect.REFUSED);
            types.put("application/json; charset=iso-8859-1", Expect.REFUSED);
            types.put("application/json; charset=", Expect.REFUSED);
            types.put("application/json; charset=\"utf-8\"", Expect.ANSWER);
            types.put("application/json;charset=UTF-8", Expect.ANSWER);
            types.put("application/JSON", Expect.ANSWER);
            types.put("application/json, text/plain", Expect.REFUSED);
            types.put("*/*", Expect.REFUSED);
            types.put("application/*", Expect.REFUSED);
            types.put(";;;", Expect.REFUSED);
            types.put("", Expect.REFUSED);
            types.put("application/json; charset=utf-8; charset=utf-16", Expect.REFUSED);
        } else {
            types.put("application/json", Expect.ANSWER);
            types.put("text/plain", Expect.ANSWER);
            types.put("application/x-www-form-urlencoded; charset=utf-16", Expect.ANSWER);
        }
        types.forEach((type, expect) -> probe(operation, "Content-Type " + type, expect, draft -> draft.header("Content-Type", type)));
        probe(operation, "Content-Type missing", operation.isJson() ? Expect.REFUSED : Expect.ANSWER,
                draft -> draft.without("Content-Type"));
        probe(operation, "Content-Type repeated", operation.isJson() ? Expect.REFUSED : Expect.ANSWER,
                draft -> draft.add("Content-Type", operation.contentType()));
        probe(operation, "Content-Type repeated, second text/plain", operation.isJson() ? Expect.REFUSED : Expect.ANSWER,
                draft -> draft.add("Content-Type", "text/plain"));
        probe(operation, "Content-Type with a C1 byte", operation.isJson() ? Expect.REFUSED : Expect.ANSWER,
                draft -> draft.header("Content-Type", concat(bytes(operation.contentType() + "; x="), new byte[] {(byte) 0x85})));
        if (operation.isJson()) {
            probe(operation, "Content-Type charset=utf-16 with a UTF-16 body", Expect.REFUSED, draft -> {
                draft.header("Content-Type", "application/json; charset=utf-16");
                return draft.body(new String(draft.body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16));
            });
        }
    }

    private void wholeBodies(Operation operation) {
        Expect absent = operation.bodyRequired() ? Expect.REFUSED : Expect.ANSWER;
        probe(operation, "body: none", absent, draft -> draft.without("Content-Type").body(null));
        probe(operation, "body: empty with a JSON content type", absent, draft -> draft.body(new byte[0]));
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (String text : List.of("null", "[]", "\"x\"", "1", "true", "{", "}", "{}x", "{}{}", "{\"a\":1,}", "{a:1}", "{'a':1}",
                "{\"a\":1 /* c */}", "{\"a\":NaN}", "{\"a\":Infinity}", "\u0000", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x41\"}",
                "\"\\ud800\"")) {
            bodies.put(visible(text), bytes(text));
        }
        String example = new String(Json.MAPPER.writeValueAsBytes(operation.example()), StandardCharsets.UTF_8);
        bodies.put("byte order mark and the example", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes(example)));
        bodies.put("UTF-16LE, no byte order mark", example.getBytes(StandardCharsets.UTF_16LE));
        bodies.put("UTF-16 with a byte order mark", example.getBytes(StandardCharsets.UTF_16));
        bodies.put("UTF-32", example.getBytes(java.nio.charset.Charset.forName("UTF-32")));
        bodies.put("Latin-1 bytes", ("{\"x\": \"caf\u00e9\"}").getBytes(StandardCharsets.ISO_8859_1));
        bodies.put("7000 nested arrays", bytes("[".repeat(7000) + "]".repeat(7000)));
        bodies.put("2000 nested objects", bytes("{\"a\":".repeat(2000) + "1" + "}".repeat(2000)));
        bodies.put("5000-digit number", bytes("{\"amount\": " + "9".repeat(5000) + "}"));
        bodies.put("17 KiB", bytes("{\"pad\": \"" + "x".repeat(17 * 1024) + "\"}"));
        StringBuilder manyKeys = new StringBuilder("{");
        for (int i = 0; i < 1000; i++) {
            manyKeys.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":1");
        }
        bodies.put("1000 keys", bytes(manyKeys.append('}').toString()));
        if (example.startsWith("{\"") && example.length() > 2) {
            String first = example.substring(1, example.indexOf(',') > 0 ? example.indexOf(',') : example.length() - 1);
            bodies.put("a key repeated", bytes("{" + first + "," + example.substring(1)));
        }
        bodies.forEach((variant, bytes) -> probe(operation, "body: " + variant, Expect.REFUSED, draft -> draft.body(bytes)));
        probe(operation, "body: declared shorter than sent", Expect.ANSWER, draft -> {
            draft.declareLength = false;
            return draft.add("Content-Length", Integer.toString(Math.max(1, draft.body.length - 1)));
        });
        probe(operation, "body: declared longer than sent", Expect.ANSWER_OR_HANG_UP, draft -> {
            draft.declareLength = false;
            draft.halfClose = true;
            return draft.add("Content-Length", Integer.toString(draft.body.length + 100));
        });
        Map<String, String> lengths = new LinkedHashMap<>();
        lengths.put("not a number", "abc");
        lengths.put("negative", "-5");
        lengths.put("huge", "99999999999999999999");
        lengths.forEach((variant, length) -> probe(operation, "body: Content-Length " + variant, Expect.REFUSED, draft -> {
            draft.declareLength = false;
            return draft.add("Content-Length", length);
        }));
        probe(operation, "body: two different Content-Lengths", Expect.REFUSED, draft -> {
            draft.declareLength = false;
            return draft.add("Content-Length", Integer.toString(draft.body.length)).add("Content-Length", "1");
        });
        probe(operation, "body: chunked", Expect.ANSWER, draft -> chunked(draft, draft.body, "%x"));
        probe(operation, "body: chunked, bad chunk size", Expect.REFUSED, draft -> chunked(draft, draft.body, "zz"));
        probe(operation, "body: chunked, 20 KiB", Expect.REFUSED, draft -> chunked(draft,
                bytes("{\"pad\": \"" + "x".repeat(20 * 1024) + "\"}"), "%x"));
    }

    private static Draft chunked(Draft draft, byte[] content, String sizeFormat) {
        draft.declareLength = false;
        draft.add("Transfer-Encoding", "chunked");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int at = 0; at < content.length; at += 4096) {
            int length = Math.min(4096, content.length - at);
            out.writeBytes(bytes(String.format(sizeFormat, length) + "\r\n"));
            out.write(content, at, length);
            out.writeBytes(bytes("\r\n"));
        }
        out.writeBytes(bytes("0\r\n\r\n"));
        return draft.body(out.toByteArray());
    }

    private void formBodies(Operation operation) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("no grant_type", "scope=payments%3Aread");
        forms.put("malformed escape", "grant_type=%zz");
        forms.put("grant_type repeated", "grant_type=client_credentials&grant_type=client_credentials");
        forms.put("NUL in scope", "grant_type=client_credentials&scope=%00");
        forms.put("invalid UTF-8 in scope", "grant_type=client_credentials&scope=%C3%28");
        forms.put("unknown scope", "grant_type=client_credentials&scope=everything");
        forms.put("another grant", "grant_type=password&username=a&password=b");
        for (String card : freeTextCards) {
            forms.put("a card number as scope", "grant_type=client_credentials&scope=" + card);
        }
        forms.forEach((variant, form) -> probe(operation, "form: " + variant, Expect.ANSWER, draft -> draft.body(bytes(form))));
        probe(operation, "form: JSON body", Expect.ANSWER, draft -> draft.body(bytes("{\"grant_type\": \"client_credentials\"}")));
    }

    // ---------------------------------------------------------------- fields, by walking the body's schema

    private JsonNode schemaOf(Operation operation) {
        return resolve(operation.node().path("requestBody").path("content").path("application/json").path("schema"));
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode resolved = schema;
        while (resolved.has("$ref")) {
            String pointer = resolved.path("$ref").asString().substring(1);
            resolved = document.at(pointer);
        }
        return resolved;
    }

    private void fields(Operation operation, List<String> at, JsonNode schema) {
        if (at.isEmpty()) {
            objectVariants(operation, at, schema);
        }
        JsonNode properties = schema.path("properties");
        Set<String> required = new java.util.HashSet<>();
        schema.path("required").forEach(name -> required.add(name.asString()));
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            List<String> path = append(at, property.getKey());
            JsonNode fieldSchema = resolve(property.getValue());
            field(operation, path, fieldSchema, required.contains(property.getKey()));
        }
        JsonNode additional = schema.path("additionalProperties");
        if (additional.isObject()) {
            mapVariants(operation, at, schema);
            field(operation, append(at, "k"), resolve(additional), false);
        }
    }

    private void field(Operation operation, List<String> path, JsonNode schema, boolean required) {
        String name = String.join(".", path);
        probe(operation, "field " + name + ": missing", required ? Expect.REFUSED : Expect.ANSWER,
                draft -> draft.body(without(operation, path)));
        String type = schema.path("type").asString("");
        for (Map.Entry<String, String> wrong : wrongTypes(type).entrySet()) {
            set(operation, path, Hostile.of("wrong type " + wrong.getKey(), wrong.getValue(), Expect.REFUSED));
        }
        switch (type) {
            case "string" -> strings(operation, path, schema);
            case "integer" -> integers(operation, path, schema);
            case "array" -> arrays(operation, path, schema);
            case "object" -> {
                objectVariants(operation, path, schema);
                fields(operation, path, schema);
            }
            default -> {
            }
        }
    }

    private static Map<String, String> wrongTypes(String type) {
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("null", "null");
        wrong.put("boolean", "true");
        if (!type.equals("integer")) {
            wrong.put("integer", "1");
        }
        wrong.put("fraction", "1.5");
        if (!type.equals("string")) {
            wrong.put("string", "\"1\"");
        }
        if (!type.equals("array")) {
            wrong.put("array", "[\"x\"]");
        }
        if (!type.equals("object")) {
            wrong.put("object", "{\"a\": \"b\"}");
        }
        return wrong;
    }

    private void strings(Operation operation, List<String> path, JsonNode schema) {
        boolean freeText = !schema.has("pattern") && !schema.has("enum") && !schema.has("const") && !schema.has("format");
        List<Hostile> hostiles = new ArrayList<>(List.of(
                Hostile.of("NUL", "\"a\\u0000b\"", Expect.REFUSED),
                Hostile.of("SOH", "\"a\\u0001b\"", Expect.REFUSED),
                Hostile.of("ESC", "\"a\\u001bb\"", Expect.REFUSED),
                Hostile.of("DEL", "\"a\\u007fb\"", Expect.REFUSED),
                Hostile.of("C1 U+0080", "\"a\\u0080b\"", Expect.REFUSED),
                Hostile.of("C1 NEL U+0085", "\"a\\u0085b\"", Expect.REFUSED),
                Hostile.of("C1 U+009F", "\"a\\u009fb\"", Expect.REFUSED),
                new Hostile("C1 NEL as raw UTF-8", new byte[] {'"', 'a', (byte) 0xC2, (byte) 0x85, 'b', '"'}, Expect.REFUSED),
                Hostile.of("tab", "\"a\\tb\"", Expect.ANSWER),
                Hostile.of("line feed", "\"a\\nb\"", Expect.ANSWER),
                Hostile.of("CR LF", "\"a\\r\\nb\"", Expect.ANSWER),
                Hostile.of("lone high surrogate", "\"a\\ud800b\"", Expect.REFUSED),
                Hostile.of("lone low surrogate", "\"a\\udc00\"", Expect.REFUSED),
                Hostile.of("surrogates reversed", "\"\\udc00\\ud800\"", Expect.REFUSED),
                Hostile.rawString("invalid UTF-8 C3 28", 0xC3, 0x28),
                Hostile.rawString("invalid UTF-8 FF", 0xFF),
                Hostile.rawString("overlong UTF-8 C0 AF", 0xC0, 0xAF),
                Hostile.rawString("UTF-8 encoded surrogate", 0xED, 0xA0, 0x80),
                Hostile.rawString("truncated UTF-8", 0xE2, 0x82),
                Hostile.rawString("raw control byte", 0x01),
                Hostile.of("invalid escape", "\"a\\xb\"", Expect.REFUSED),
                Hostile.of("empty", "\"\"", Expect.ANSWER),
                new Hostile("emoji", "\"\uD83D\uDCB3 ok\"".getBytes(StandardCharsets.UTF_8), Expect.ANSWER),
                Hostile.of("right-to-left override", "\"a\\u202eb\"", Expect.ANSWER),
                Hostile.of("byte order mark inside", "\"a\\ufeffb\"", Expect.ANSWER),
                Hostile.of("markup", "\"<script>alert(1)</script>\"", Expect.ANSWER),
                Hostile.of("SQL", "\"x'; DROP TABLE payments; --\"", Expect.ANSWER),
                Hostile.of("lookup expression", "\"${jndi:ldap://x/a}\"", Expect.ANSWER),
                Hostile.of("log line", "\"a\\n{\\\"level\\\":\\\"ERROR\\\"}\"", Expect.ANSWER)));
        int maxLength = schema.path("maxLength").asInt(0);
        if (maxLength > 0) {
            hostiles.add(Hostile.of("one character too long", "\"" + "x".repeat(maxLength + 1) + "\"", Expect.REFUSED));
        }
        hostiles.add(Hostile.of("10000 characters", "\"" + "x".repeat(10_000) + "\"", Expect.REFUSED));
        if (freeText) {
            // where the documented value is a URL, the card number goes inside one
            String example = operation.example().at("/" + String.join("/", path)).asString("");
            String around = example.startsWith("https://") ? example + "?card=" : "";
            for (String card : freeTextCards) {
                for (String form : typed(card)) {
                    hostiles.add(Hostile.of("card number " + shape(form), "\"" + around + form + "\"", Expect.REFUSED));
                }
            }
        }
        hostiles.forEach(hostile -> set(operation, path, hostile));
    }

    private void integers(Operation operation, List<String> path, JsonNode schema) {
        List<Hostile> hostiles = new ArrayList<>(List.of(
                Hostile.of("negative", "-1", Expect.REFUSED),
                Hostile.of("zero", "0", Expect.ANSWER),
                Hostile.of("negative zero", "-0", Expect.ANSWER),
                Hostile.of("fraction", "1.5", Expect.REFUSED),
                Hostile.of("integral fraction", "100.0", Expect.REFUSED),
                Hostile.of("exponent", "1e2", Expect.REFUSED),
                Hostile.of("signed exponent", "1E+2", Expect.REFUSED),
                Hostile.of("negative exponent", "10000e-2", Expect.REFUSED),
                Hostile.of("2^31", "2147483648", Expect.REFUSED),
                Hostile.of("2^63", "9223372036854775808", Expect.REFUSED),
                Hostile.of("-2^63-1", "-9223372036854775809", Expect.REFUSED),
                Hostile.of("10^30", "1" + "0".repeat(30), Expect.REFUSED),
                Hostile.of("1e400", "1e400", Expect.REFUSED),
                Hostile.of("hexadecimal", "0x10", Expect.REFUSED),
                Hostile.of("leading zero", "012", Expect.REFUSED),
                Hostile.of("plus sign", "+1", Expect.REFUSED),
                Hostile.of("NaN", "NaN", Expect.REFUSED),
                Hostile.of("Infinity", "Infinity", Expect.REFUSED),
                Hostile.of("lone minus", "-", Expect.REFUSED)));
        if (schema.has("maximum")) {
            hostiles.add(Hostile.of("maximum + 1", Long.toString(schema.path("maximum").asLong() + 1), Expect.REFUSED));
        }
        if (schema.has("minimum")) {
            hostiles.add(Hostile.of("minimum - 1", Long.toString(schema.path("minimum").asLong() - 1), Expect.REFUSED));
        }
        hostiles.forEach(hostile -> set(operation, path, hostile));
    }

    private void arrays(Operation operation, List<String> path, JsonNode schema) {
        JsonNode enumeration = resolve(schema.path("items")).path("enum");
        String first = enumeration.isArray() && !enumeration.isEmpty() ? enumeration.get(0).asString() : "x";
        List<Hostile> hostiles = new ArrayList<>(List.of(
                Hostile.of("empty", "[]", Expect.REFUSED),
                Hostile.of("an item repeated", "[\"" + first + "\", \"" + first + "\"]", Expect.REFUSED),
                Hostile.of("an integer item", "[1]", Expect.REFUSED),
                Hostile.of("a nested array", "[[\"" + first + "\"]]", Expect.REFUSED),
                Hostile.of("a null item", "[null]", Expect.REFUSED),
                Hostile.of("11 items", "[" + String.join(",", java.util.Collections.nCopies(11, "\"" + first + "\"")) + "]",
                        Expect.REFUSED)));
        hostiles.forEach(hostile -> set(operation, path, hostile));
        strings(operation, append(path, "0"), resolve(schema.path("items")));
    }

    private void objectVariants(Operation operation, List<String> path, JsonNode schema) {
        String where = path.isEmpty() ? "body" : "field " + String.join(".", path);
        boolean closed = schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean();
        Expect unknown = closed ? Expect.REFUSED : Expect.ANSWER;
        probe(operation, where + ": unknown field", unknown, draft -> draft.body(withKey(operation, path, bytes("\"colour\""), bytes("\"red\""))));
        probe(operation, where + ": unknown field holding NUL", Expect.REFUSED,
                draft -> draft.body(withKey(operation, path, bytes("\"colour\""), bytes("\"a\\u0000b\""))));
        probe(operation, where + ": unknown field named with NUL", Expect.REFUSED,
                draft -> draft.body(withKey(operation, path, bytes("\"a\\u0000b\""), bytes("\"red\""))));
        for (String card : freeTextCards) {
            probe(operation, where + ": unknown field holding a card number", Expect.REFUSED,
                    draft -> draft.body(withKey(operation, path, bytes("\"note\""), bytes("\"" + card + "\""))));
            probe(operation, where + ": unknown field named with a card number", Expect.REFUSED,
                    draft -> draft.body(withKey(operation, path, bytes("\"" + card + "\""), bytes("\"red\""))));
        }
        if (!path.isEmpty()) {
            boolean hasRequired = schema.path("required").isArray() && !schema.path("required").isEmpty();
            set(operation, path, Hostile.of("empty object", "{}", hasRequired ? Expect.REFUSED : Expect.ANSWER));
            set(operation, path, Hostile.of("200 nested objects", "{\"a\":".repeat(200) + "1" + "}".repeat(200), Expect.REFUSED));
            set(operation, path, Hostile.of("a key repeated", "{\"a\": 1, \"a\": 1}", Expect.REFUSED));
        }
    }

    private void mapVariants(Operation operation, List<String> path, JsonNode schema) {
        String name = String.join(".", path);
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put("empty", bytes("\"\""));
        keys.put("41 characters", bytes("\"" + "k".repeat(41) + "\""));
        keys.put("NUL", bytes("\"a\\u0000b\""));
        keys.put("C1 NEL", bytes("\"a\\u0085b\""));
        keys.put("tab", bytes("\"a\\tb\""));
        keys.put("line feed", bytes("\"a\\nb\""));
        keys.put("lone surrogate", bytes("\"a\\ud800\""));
        keys.put("invalid UTF-8", new byte[] {'"', 'a', (byte) 0xC3, 0x28, '"'});
        for (String card : freeTextCards) {
            for (String form : typed(card)) {
                keys.put("card number " + shape(form), bytes("\"" + form + "\""));
            }
        }
        keys.forEach((variant, key) -> probe(operation, "field " + name + " key: " + variant, Expect.REFUSED,
                draft -> draft.body(withKey(operation, path, key, bytes("\"v\"")))));
        probe(operation, "field " + name + " key: emoji", Expect.ANSWER,
                draft -> draft.body(withKey(operation, path, "\"\uD83D\uDCB3\"".getBytes(StandardCharsets.UTF_8), bytes("\"v\""))));
        int max = schema.path("maxProperties").asInt(0);
        if (max > 0) {
            StringBuilder many = new StringBuilder("{");
            for (int i = 0; i <= max; i++) {
                many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
            }
            set(operation, path, Hostile.of("one key too many", many.append('}').toString(), Expect.REFUSED));
        }
        set(operation, path, Hostile.of("a nested object value", "{\"k\": {\"a\": \"b\"}}", Expect.REFUSED));
    }

    // ---------------------------------------------------------------- body surgery

    private void set(Operation operation, List<String> path, Hostile hostile) {
        probe(operation, "field " + String.join(".", path) + ": " + hostile.name(), hostile.expect(),
                draft -> draft.body(with(operation, path, hostile.json())));
    }

    /** The example body with the value at {@code path} replaced by raw JSON. */
    private byte[] with(Operation operation, List<String> path, byte[] rawJson) {
        JsonNode tree = operation.example().deepCopy();
        JsonNode parent = parent(tree, path);
        String last = path.get(path.size() - 1);
        if (parent instanceof ArrayNode array) {
            int index = Integer.parseInt(last);
            while (array.size() <= index) {
                array.add("x");
            }
            array.set(index, MARK);
        } else {
            ((ObjectNode) parent).put(last, MARK);
        }
        return splice(tree, "\"" + MARK + "\"", rawJson);
    }

    private byte[] without(Operation operation, List<String> path) {
        JsonNode tree = operation.example().deepCopy();
        JsonNode parent = parent(tree, path);
        if (parent instanceof ObjectNode object) {
            object.remove(path.get(path.size() - 1));
        }
        return Json.MAPPER.writeValueAsBytes(tree);
    }

    /** The example body with one more key in the object at {@code path}: raw key and raw value. */
    private byte[] withKey(Operation operation, List<String> path, byte[] rawKey, byte[] rawValue) {
        JsonNode tree = operation.example().deepCopy();
        JsonNode object = path.isEmpty() ? tree : parent(tree, append(path, KEY_MARK));
        if (!(object instanceof ObjectNode target)) {
            return Json.MAPPER.writeValueAsBytes(tree);
        }
        target.put(KEY_MARK, MARK);
        byte[] withValue = splice(tree, "\"" + MARK + "\"", rawValue);
        return splice(withValue, "\"" + KEY_MARK + "\"", rawKey);
    }

    /** The container of the last segment of {@code path}, made when it is missing from the example. */
    private static JsonNode parent(JsonNode tree, List<String> path) {
        JsonNode node = tree;
        for (String segment : path.subList(0, path.size() - 1)) {
            if (node instanceof ArrayNode array) {
                node = array.get(Integer.parseInt(segment));
            } else {
                ObjectNode object = (ObjectNode) node;
                JsonNode child = object.get(segment);
                if (child == null || !child.isContainer()) {
                    child = segmentIsIndex(path, segment) ? object.putArray(segment) : object.putObject(segment);
                }
                node = child;
            }
        }
        return node;
    }

    private static boolean segmentIsIndex(List<String> path, String segment) {
        int at = path.indexOf(segment);
        return at + 1 < path.size() && path.get(at + 1).matches("[0-9]+");
    }

    private static byte[] splice(JsonNode tree, String mark, byte[] replacement) {
        return splice(Json.MAPPER.writeValueAsBytes(tree), mark, replacement);
    }

    private static byte[] splice(byte[] json, String mark, byte[] replacement) {
        byte[] needle = bytes(mark);
        for (int i = 0; i + needle.length <= json.length; i++) {
            if (java.util.Arrays.equals(json, i, i + needle.length, needle, 0, needle.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(json, 0, i);
                out.writeBytes(replacement);
                out.write(json, i + needle.length, json.length - i - needle.length);
                return out.toByteArray();
            }
        }
        throw new IllegalStateException("mark not found: " + mark);
    }

    // ---------------------------------------------------------------- helpers

    /** The forms a card number is typed in: as scanned for, inside words, and as JSON escapes. */
    private List<String> typed(String card) {
        List<String> forms = new ArrayList<>(CardNumberScan.forms(card));
        forms.add("paid with " + card + ", thanks");
        StringBuilder escaped = new StringBuilder();
        card.chars().forEach(c -> escaped.append(String.format("\\u%04x", c)));
        forms.add(escaped.toString());
        return forms;
    }

    private static String shape(String form) {
        if (form.startsWith("\\u")) {
            return "as JSON escapes";
        }
        if (form.contains("paid")) {
            return "inside text";
        }
        return form.contains(" ") ? "with spaces" : form.contains("-") ? "with dashes" : "plain";
    }

    private static List<String> append(List<String> path, String segment) {
        List<String> longer = new ArrayList<>(path);
        longer.add(segment);
        return List.copyOf(longer);
    }

    private static String visible(String text) {
        StringBuilder out = new StringBuilder();
        text.chars().forEach(c -> out.append(c < 0x20 ? String.format("\\x%02x", c) : String.valueOf((char) c)));
        return out.toString();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

}
