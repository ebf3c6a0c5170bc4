package dev.nightjar.platform.incident;

import dev.nightjar.contracts.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The services' JSON log lines ({@code NightjarLogFormatter}) in {@code .nightjar/logs/}, streamed line by line:
 * every WARN and ERROR line in the window, and the INFO lines of the focused payment (its id in the message or
 * one of its trace ids on the line). Lines that are not JSON (stack traces, PostgreSQL's own log) are skipped.
 */
final class LogReader {

    /** Logs of the platform's third-party processes, in their own formats: not read at all. */
    static final Set<String> FOREIGN_LOGS = Set.of("kafka", "zipkin", "prometheus");
    static final int LIMIT = 1_000;

    private static final String TIMESTAMP_PREFIX = "{\"@timestamp\":\"";
    private static final Set<String> ALWAYS_KEPT = Set.of("WARN", "ERROR");

    private LogReader() {
    }

    static Readout read(Path logs, TimeWindow window, Focus focus) throws IOException {
        EntryBudget budget = new EntryBudget(LIMIT);
        if (Files.isDirectory(logs)) {
            List<Path> files;
            try (Stream<Path> listing = Files.list(logs)) {
                files = listing.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
            }
            for (Path file : files) {
                String component = file.getFileName().toString().replaceFirst("\\.log$", "");
                if (!FOREIGN_LOGS.contains(component)) {
                    readFile(file, component, window, focus, budget);
                }
            }
        }
        return Readout.of(Entry.Source.LOG, budget, "log lines");
    }

    private static void readFile(Path file, String component, TimeWindow window, Focus focus, EntryBudget budget)
            throws IOException {
        // InputStreamReader replaces malformed bytes instead of failing on them, as Files.newBufferedReader would
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                Instant quick = quickTimestamp(line);
                if (quick != null && !window.contains(quick)) {
                    continue;
                }
                Entry entry = parse(line, component);
                if (entry != null && window.contains(entry.at()) && keep(entry, focus)) {
                    budget.add(entry, entry.details().getOrDefault("logger", "?"));
                }
            }
        }
    }

    /** WARN and ERROR always; anything else only when it belongs to the focused payment. */
    static boolean keep(Entry entry, Focus focus) {
        return ALWAYS_KEPT.contains(entry.level()) || focus.concerns(entry.summary(), entry.traceId());
    }

    /** One log line as an entry, or null when it is not one of the services' JSON lines. */
    static Entry parse(String line, String component) {
        if (!line.startsWith("{")) {
            return null;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(line);
        } catch (JacksonException e) {
            return null;
        }
        Instant at = instant(node.path("@timestamp").asString(""));
        if (at == null || !node.path("message").isString()) {
            return null;
        }
        String logger = shortName(node.path("logger").asString("?"));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("logger", logger);
        details.put("thread", node.path("thread").asString(""));
        putIfPresent(details, "span_id", node.path("span_id").asString(null));
        String error = node.path("error").asString(null);
        String message = node.path("message").asString();
        if (error != null && !error.isBlank()) {
            String firstLine = error.strip().lines().findFirst().orElse("");
            details.put("error", firstLine);
            message = message + " [" + firstLine + "]";
        }
        return new Entry(at, Entry.Source.LOG, component, node.path("level").asString("?"), logger + ": " + message,
                node.path("trace_id").asString(null), details);
    }

    /** The time of a line the formatter wrote, read without parsing the JSON, so lines outside the window cost little. */
    private static Instant quickTimestamp(String line) {
        if (!line.startsWith(TIMESTAMP_PREFIX)) {
            return null;
        }
        int end = line.indexOf('"', TIMESTAMP_PREFIX.length());
        return end < 0 ? null : instant(line.substring(TIMESTAMP_PREFIX.length(), end));
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String shortName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }

    private static void putIfPresent(Map<String, String> details, String key, String value) {
        if (value != null) {
            details.put(key, value);
        }
    }
}
