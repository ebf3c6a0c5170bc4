package dev.nightjar.platform.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A merchant's webhook receiver for the chaos run: plain HTTP on loopback (the local platform allows it),
 * answering 200 to every delivery and remembering, per object and event type, the distinct event ids
 * delivered and how many deliveries there were in all (at least once: a redelivery of one event id is
 * allowed; two event ids announcing the same change are not).
 */
final class WebhookSink implements AutoCloseable {

    private static final int MAX_BODY_BYTES = 256 * 1024;

    private final HttpServer server;
    /** "object id|event type" → distinct event ids. */
    private final Map<String, Set<String>> events = new ConcurrentHashMap<>();
    private final AtomicLong deliveries = new AtomicLong();

    WebhookSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.createContext("/hooks", this::deliver);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    @SuppressWarnings("unchecked")
    private void deliver(HttpExchange exchange) throws IOException {
        try (InputStream body = exchange.getRequestBody()) {
            Map<String, Object> event = Json.MAPPER.readValue(body.readNBytes(MAX_BODY_BYTES), Map.class);
            Map<String, Object> data = (Map<String, Object>) event.get("data");
            Map<String, Object> object = data == null ? Map.of() : (Map<String, Object>) data.get("object");
            String objectId = object == null ? "?" : String.valueOf(object.get("id"));
            events.computeIfAbsent(objectId + "|" + event.get("type"), k -> ConcurrentHashMap.newKeySet())
                    .add(String.valueOf(event.get("id")));
            deliveries.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
        } catch (RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
        } finally {
            exchange.close();
        }
    }

    /** The distinct event ids delivered for this object and event type. */
    Set<String> eventIds(String objectId, String type) {
        return events.getOrDefault(objectId + "|" + type, Set.of());
    }

    /** Every (object id, event type) announced under more than one event id. */
    Map<String, Integer> announcedTwice(List<String> objectIds) {
        Set<String> wanted = Set.copyOf(objectIds);
        Map<String, Integer> twice = new HashMap<>();
        events.forEach((key, ids) -> {
            if (ids.size() > 1 && wanted.contains(key.substring(0, key.indexOf('|')))) {
                twice.put(key, ids.size());
            }
        });
        return twice;
    }

    long deliveries() {
        return deliveries.get();
    }

    long distinctEvents() {
        return events.values().stream().mapToLong(Set::size).sum();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
