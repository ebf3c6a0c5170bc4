package dev.nightjar.platform.incident;

import dev.nightjar.platform.Platform;
import dev.nightjar.platform.observe.PaymentTraces;
import dev.nightjar.platform.observe.PrometheusApi;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code ./nightjar incident timeline}: what the platform's logs, payment events, alerts, audit logs and
 * traces say about a window of time (and, optionally, one payment), merged into one time-ordered list, so an
 * incident is read in one place instead of five.
 */
public final class IncidentTimeline {

    private static final Pattern PAYMENT_ID = Pattern.compile("pay_[A-Za-z0-9]{1,64}");

    /** What to show: the window, the payment in focus (or null for everything), text or JSON. */
    public record Options(TimeWindow window, String paymentId, boolean json) {

        /** The arguments after {@code incident timeline}: {@code --from T1 [--to T2] [--payment pay_...] [--json]}. */
        public static Options parse(List<String> args, Instant now) {
            String from = null;
            String to = "now";
            String payment = null;
            boolean json = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                switch (arg) {
                    case "--json" -> json = true;
                    case "--from", "--to", "--payment" -> {
                        if (i + 1 >= args.size()) {
                            throw new IllegalArgumentException(arg + " needs a value");
                        }
                        String value = args.get(++i);
                        if (arg.equals("--from")) {
                            from = value;
                        } else if (arg.equals("--to")) {
                            to = value;
                        } else {
                            payment = value;
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + arg);
                }
            }
            if (from == null) {
                throw new IllegalArgumentException("--from is required (an instant like 2026-12-01T07:10:00Z, or -15m)");
            }
            if (payment != null && !PAYMENT_ID.matcher(payment).matches()) {
                throw new IllegalArgumentException("not a payment id: " + payment);
            }
            return new Options(new TimeWindow(TimeWindow.parseInstant(from, now), TimeWindow.parseInstant(to, now)),
                    payment, json);
        }
    }

    private final Platform platform;
    private final PrintStream out;
    private final PrintStream err;

    /** {@code err} takes the sources' notes in JSON mode, so {@code out} stays one JSON document. */
    public IncidentTimeline(Platform platform, PrintStream out, PrintStream err) {
        this.platform = platform;
        this.out = out;
        this.err = err;
    }

    /** Prints the timeline; 0 when every source was read, 1 when one could not be (the rest still print). */
    public int run(Options options) {
        TimeWindow window = options.window();
        Focus requested = options.paymentId() == null ? Focus.NONE : Focus.on(options.paymentId());
        List<Readout> readouts = new ArrayList<>();
        // Traces and events first: they tell the payment's trace ids and merchant, which the logs and audit need
        Readout traces = requested.hasPayment()
                ? attempt(Entry.Source.TRACE, () -> TraceReader.read(new PaymentTraces(platform.zipkin().url()), window, requested))
                : Readout.skipped(Entry.Source.TRACE, "traces are listed with --payment");
        readouts.add(traces);
        Focus withTraces = learn(requested, traces);
        Readout events = attempt(Entry.Source.EVENT, () -> EventReader.read(platform.kafka().bootstrapServers(), window, withTraces));
        readouts.add(events);
        Focus known = learn(withTraces, events);
        readouts.add(attempt(Entry.Source.LOG, () -> LogReader.read(platform.layout().logs(), window, known)));
        readouts.add(attempt(Entry.Source.ALERT, () -> AlertReader.read(new PrometheusApi(platform.prometheus().url()), window)));
        readouts.add(attempt(Entry.Source.AUDIT, () -> AuditReader.read(platform.database(), window, known)));
        List<Entry> entries = merge(readouts);
        if (options.json()) {
            TimelineFormat.json(entries, out);
            readouts.stream().filter(readout -> readout.note() != null)
                    .forEach(readout -> err.println(readout.source().label() + ": " + TimelineFormat.mask(readout.note())));
        } else {
            TimelineFormat.text(entries, readouts, known, window, out);
        }
        return readouts.stream().anyMatch(Readout::failed) ? 1 : 0;
    }

    /** Every source's entries in one list ordered by time; entries of the same instant by source, then as read. */
    static List<Entry> merge(List<Readout> readouts) {
        List<Entry> entries = new ArrayList<>();
        readouts.forEach(readout -> entries.addAll(readout.entries()));
        entries.sort(Comparator.comparing(Entry::at).thenComparing(Entry::source));
        return entries;
    }

    /** The focus with the merchant and trace ids a source's entries reveal; nothing to learn without a payment. */
    static Focus learn(Focus focus, Readout readout) {
        if (!focus.hasPayment()) {
            return focus;
        }
        List<String> traceIds = readout.entries().stream().map(Entry::traceId).filter(Objects::nonNull).toList();
        String merchant = readout.entries().stream().map(entry -> entry.details().get("merchant_id"))
                .filter(Objects::nonNull).findFirst().orElse(null);
        return focus.withTraceIds(traceIds).withMerchant(merchant);
    }

    private interface SourceRead {
        Readout read() throws IOException;
    }

    private static Readout attempt(Entry.Source source, SourceRead read) {
        try {
            return read.read();
        } catch (IOException | RuntimeException e) {
            return Readout.failed(source, e);
        }
    }
}
