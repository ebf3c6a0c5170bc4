package dev.nightjar.platform.incident;

import dev.nightjar.common.logging.PanMasker;
import dev.nightjar.contracts.json.Json;
import java.io.PrintStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A merged timeline as text (one line per entry, then the counts per source and the sources' notes) or as a
 * JSON array for tools. Every text that leaves goes through the card-number masker: the services mask their
 * own logs, but a timeline is pasted into tickets and chats, so it checks once more.
 */
final class TimelineFormat {

    private static final Pattern HEX_ID = Pattern.compile("(?=.*[a-f])[0-9a-f]{16}|(?=.*[a-f])[0-9a-f]{32}");
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TimelineFormat() {
    }

    static void text(List<Entry> entries, List<Readout> readouts, Focus focus, TimeWindow window, PrintStream out) {
        for (Entry entry : entries) {
            out.println(line(entry));
        }
        out.println(summary(entries, focus, window));
        for (Readout readout : readouts) {
            if (readout.note() != null) {
                out.println("  " + readout.source().label() + ": " + mask(readout.note()));
            }
        }
    }

    static String line(Entry entry) {
        return AT.format(entry.at()) + "  " + String.format("%-5s", entry.source().label()) + "  "
                + String.format("%-19s", mask(entry.component())) + "  "
                + (entry.level() == null ? "" : mask(entry.level()) + " ") + oneLine(mask(entry.summary(), ids(entry)));
    }

    static String summary(List<Entry> entries, Focus focus, TimeWindow window) {
        Map<Entry.Source, Integer> counts = new EnumMap<>(Entry.Source.class);
        for (Entry.Source source : Entry.Source.values()) {
            counts.put(source, 0);
        }
        entries.forEach(entry -> counts.merge(entry.source(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((source, count) -> parts.add(source.label() + " " + count));
        String about = focus.hasPayment() ? " for " + focus.paymentId()
                + (focus.merchantId() == null ? "" : " (merchant " + focus.merchantId() + ")") : "";
        return entries.size() + " entries" + about + " from " + window.from() + " to " + window.to() + ": "
                + String.join(", ", parts);
    }

    static void json(List<Entry> entries, PrintStream out) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Entry entry : entries) {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("at", entry.at().toString());
            object.put("source", entry.source().label());
            object.put("component", mask(entry.component()));
            object.put("level", mask(entry.level()));
            object.put("summary", mask(entry.summary(), ids(entry)));
            object.put("traceId", entry.traceId());
            Map<String, String> details = new LinkedHashMap<>();
            entry.details().forEach((key, value) -> details.put(key, mask(value, ids(entry))));
            object.put("details", details);
            objects.add(object);
        }
        out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(objects));
    }

    static String mask(String text) {
        return PanMasker.mask(text);
    }

    /**
     * Masks the text except where it shows one of the entry's own trace or span ids: a random hex id can hold a
     * run of digits that passes the Luhn check, and a masked id leads nowhere. Only ids with a hex letter are
     * spared, so nothing spared can be a card number.
     */
    static String mask(String text, List<String> ids) {
        if (text == null) {
            return null;
        }
        List<String> shown = ids.stream().filter(text::contains).toList();
        if (shown.isEmpty()) {
            return mask(text);
        }
        Matcher id = Pattern.compile(String.join("|", shown.stream().map(Pattern::quote).toList())).matcher(text);
        StringBuilder masked = new StringBuilder();
        int last = 0;
        while (id.find()) {
            masked.append(mask(text.substring(last, id.start()))).append(id.group());
            last = id.end();
        }
        return masked.append(mask(text.substring(last))).toString();
    }

    private static List<String> ids(Entry entry) {
        return Stream.of(entry.traceId(), entry.details().get("span_id"))
                .filter(value -> value != null && HEX_ID.matcher(value).matches()).toList();
    }

    /** Keeps an entry on its line: line breaks inside a message become " | ". */
    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " | ");
    }
}
