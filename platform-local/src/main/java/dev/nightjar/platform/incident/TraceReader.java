package dev.nightjar.platform.incident;

import dev.nightjar.platform.observe.PaymentTraces;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The focused payment's traces from Zipkin, one entry at each trace's first span. */
final class TraceReader {

    private TraceReader() {
    }

    static Readout read(PaymentTraces zipkin, TimeWindow window, Focus focus) {
        List<Entry> entries = new ArrayList<>();
        for (List<PaymentTraces.Span> trace : zipkin.of(focus.paymentId(), window.to(), window.length())) {
            if (!trace.isEmpty()) {
                Entry entry = entry(trace);
                if (window.contains(entry.at())) {
                    entries.add(entry);
                }
            }
        }
        return Readout.all(Entry.Source.TRACE, entries);
    }

    static Entry entry(List<PaymentTraces.Span> trace) {
        PaymentTraces.Outline outline = PaymentTraces.Outline.of(trace);
        PaymentTraces.Span first = trace.getFirst();
        return new Entry(Instant.EPOCH.plus(outline.startMicros(), ChronoUnit.MICROS), Entry.Source.TRACE, first.service(), null,
                String.format(Locale.ROOT, "trace %s: %d spans over %d services, %.1f ms (%s)", outline.traceId(),
                        outline.spans(), outline.services().size(), outline.millis(), first.name()),
                outline.traceId(), Map.of("root", first.name(), "services", String.join(",", outline.services())));
    }
}
