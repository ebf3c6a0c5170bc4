package dev.nightjar.vault.crypto;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A stand-in for HashiCorp Vault's Transit secrets engine, speaking its documented HTTP API: the same
 * paths ({@code /v1/<mount>/keys/:name}, {@code …/rotate}, {@code /encrypt/:name}, {@code /decrypt/:name},
 * {@code /rewrap/:name}), the same request and response bodies ({@code {"data": {...}}} and
 * {@code {"errors": [...]}}), {@code X-Vault-Token} checks and {@code vault:v<n>:} ciphertexts made with
 * real AES-256-GCM per key version. No Vault server can run here; this is what Nightjar's Transit code
 * is tested against.
 */
final class TransitServer implements AutoCloseable {

    private static final int NONCE = 12;

    private final HttpServer server;
    private final String token;
    private final String mount;
    private final Map<String, TransitKey> keys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    final AtomicInteger encryptCalls = new AtomicInteger();
    final AtomicInteger rewrapCalls = new AtomicInteger();

    private static final class TransitKey {
        final String name;
        final Map<Integer, byte[]> versions = new TreeMap<>();
        final Map<Integer, Long> created = new TreeMap<>();
        int minDecryptionVersion = 1;

        TransitKey(String name) {
            this.name = name;
        }

        int latest() {
            return ((TreeMap<Integer, byte[]>) versions).lastKey();
        }
    }

    TransitServer(String token, String mount) throws IOException {
        this.token = token;
        this.mount = mount;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/", this::handle);
        server.start();
    }

    String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Raises the oldest version that may still decrypt, as an operator would after rewrapping. */
    void setMinDecryptionVersion(String name, int version) {
        keys.get(name).minDecryptionVersion = version;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!token.equals(exchange.getRequestHeaders().getFirst("X-Vault-Token"))) {
                respond(exchange, 403, Map.of("errors", List.of("permission denied")));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            String prefix = "/v1/" + mount + "/";
            if (!path.startsWith(prefix)) {
                respond(exchange, 404, Map.of("errors", List.of("no handler for route \"" + path.substring(4) + "\"")));
                return;
            }
            String[] parts = path.substring(prefix.length()).split("/");
            String method = exchange.getRequestMethod();
            Map<String, Object> body = readBody(exchange);
            switch (parts[0]) {
                case "keys" -> keys(exchange, method, parts);
                case "encrypt" -> encrypt(exchange, parts[1], body);
                case "decrypt" -> decrypt(exchange, parts[1], body);
                case "rewrap" -> rewrap(exchange, parts[1], body);
                default -> respond(exchange, 404, Map.of("errors", List.of("unsupported path")));
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            respond(exchange, 500, Map.of("errors", List.of("1 error occurred:\n\t* " + e.getMessage())));
        }
    }

    private void keys(HttpExchange exchange, String method, String[] parts) throws IOException {
        String name = parts[1];
        if (parts.length == 3 && parts[2].equals("rotate") && method.equals("POST")) {
            TransitKey key = keys.get(name);
            if (key == null) {
                respond(exchange, 400, Map.of("errors", List.of("key not found")));
                return;
            }
            addVersion(key);
            respond(exchange, 200, wrap(describe(key)));
        } else if (method.equals("POST")) {
            TransitKey key = keys.computeIfAbsent(name, TransitKey::new);
            if (key.versions.isEmpty()) {
                addVersion(key);
            }
            respond(exchange, 204, null);
        } else if (method.equals("GET")) {
            TransitKey key = keys.get(name);
            if (key == null) {
                respond(exchange, 404, Map.of("errors", List.of()));
                return;
            }
            respond(exchange, 200, wrap(describe(key)));
        } else {
            respond(exchange, 405, Map.of("errors", List.of("unsupported operation")));
        }
    }

    private void encrypt(HttpExchange exchange, String name, Map<String, Object> body) throws IOException, GeneralSecurityException {
        encryptCalls.incrementAndGet();
        Object plaintext = body.get("plaintext");
        if (!(plaintext instanceof String encoded)) {
            respond(exchange, 400, Map.of("errors", List.of("missing plaintext to encrypt")));
            return;
        }
        // Like Vault, encrypting with a key that does not exist yet creates it.
        TransitKey key = keys.computeIfAbsent(name, TransitKey::new);
        synchronized (key) {
            if (key.versions.isEmpty()) {
                addVersion(key);
            }
        }
        byte[] data = Base64.getDecoder().decode(encoded);
        int version = key.latest();
        respond(exchange, 200, wrap(Map.of("ciphertext", seal(key, version, data), "key_version", version)));
    }

    private void decrypt(HttpExchange exchange, String name, Map<String, Object> body) throws IOException {
        TransitKey key = keys.get(name);
        if (key == null) {
            respond(exchange, 400, Map.of("errors", List.of("encryption key not found")));
            return;
        }
        try {
            byte[] plaintext = open(key, (String) body.get("ciphertext"));
            respond(exchange, 200, wrap(Map.of("plaintext", Base64.getEncoder().encodeToString(plaintext))));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            respond(exchange, 400, Map.of("errors", List.of(e.getMessage())));
        }
    }

    private void rewrap(HttpExchange exchange, String name, Map<String, Object> body) throws IOException {
        rewrapCalls.incrementAndGet();
        TransitKey key = keys.get(name);
        if (key == null) {
            respond(exchange, 400, Map.of("errors", List.of("encryption key not found")));
            return;
        }
        try {
            byte[] plaintext = open(key, (String) body.get("ciphertext"));
            int version = key.latest();
            respond(exchange, 200, wrap(Map.of("ciphertext", seal(key, version, plaintext), "key_version", version)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            respond(exchange, 400, Map.of("errors", List.of(e.getMessage())));
        }
    }

    private void addVersion(TransitKey key) {
        byte[] material = new byte[32];
        random.nextBytes(material);
        int next = key.versions.isEmpty() ? 1 : key.latest() + 1;
        key.versions.put(next, material);
        key.created.put(next, Instant.now().getEpochSecond());
    }

    private Map<String, Object> describe(TransitKey key) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("allow_plaintext_backup", false);
        data.put("auto_rotate_period", 0);
        data.put("deletion_allowed", false);
        data.put("derived", false);
        data.put("exportable", false);
        data.put("imported_key", false);
        Map<String, Long> versions = new LinkedHashMap<>();
        key.created.forEach((version, at) -> versions.put(Integer.toString(version), at));
        data.put("keys", versions);
        data.put("latest_version", key.latest());
        data.put("min_available_version", 0);
        data.put("min_decryption_version", key.minDecryptionVersion);
        data.put("min_encryption_version", 0);
        data.put("name", key.name);
        data.put("supports_decryption", true);
        data.put("supports_derivation", true);
        data.put("supports_encryption", true);
        data.put("supports_signing", false);
        data.put("type", "aes256-gcm96");
        return data;
    }

    private String seal(TransitKey key, int version, byte[] plaintext) throws GeneralSecurityException {
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.versions.get(version), "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext);
        byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
        System.arraycopy(sealed, 0, out, NONCE, sealed.length);
        return "vault:v" + version + ":" + Base64.getEncoder().encodeToString(out);
    }

    private byte[] open(TransitKey key, String ciphertext) throws GeneralSecurityException {
        if (ciphertext == null || !ciphertext.startsWith("vault:v")) {
            throw new IllegalArgumentException("invalid ciphertext: no prefix");
        }
        String[] fields = ciphertext.split(":", 3);
        int version = Integer.parseInt(fields[1].substring(1));
        if (version < key.minDecryptionVersion) {
            throw new IllegalArgumentException("ciphertext or signature version is disallowed by policy (too old)");
        }
        byte[] material = key.versions.get(version);
        if (material == null) {
            throw new IllegalArgumentException("invalid key version");
        }
        byte[] raw = Base64.getDecoder().decode(fields[2]);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(material, "AES"),
                new GCMParameterSpec(128, Arrays.copyOf(raw, NONCE)));
        try {
            return cipher.doFinal(raw, NONCE, raw.length - NONCE);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cipher: message authentication failed");
        }
    }

    private static Map<String, Object> wrap(Map<String, Object> data) {
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("request_id", UUID.randomUUID().toString());
        response.put("lease_id", "");
        response.put("renewable", false);
        response.put("lease_duration", 0);
        response.put("data", data);
        response.put("wrap_info", null);
        response.put("warnings", null);
        response.put("auth", null);
        return response;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readBody(HttpExchange exchange) throws IOException {
        byte[] bytes = exchange.getRequestBody().readAllBytes();
        if (bytes.length == 0) {
            return Map.of();
        }
        return Json.MAPPER.readValue(bytes, Map.class);
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    List<Integer> versions(String name) {
        return new ArrayList<>(keys.get(name).versions.keySet());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
