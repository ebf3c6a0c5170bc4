package dev.nightjar.platform.incident;

import java.util.List;

/**
 * What one source gave a timeline: its entries, how many it found in all, and a note when they were condensed
 * or the source could not be read (an incident is when parts of the platform are down, so the others still
 * print).
 */
record Readout(Entry.Source source, List<Entry> entries, long found, String note, boolean failed) {

    Readout {
        entries = List.copyOf(entries);
    }

    static Readout all(Entry.Source source, List<Entry> entries) {
        return new Readout(source, entries, entries.size(), null, false);
    }

    static Readout of(Entry.Source source, EntryBudget budget, String unit) {
        String note = budget.condensed()
                ? budget.total() + " " + unit + " condensed into counts per minute" + (budget.uncounted() > 0
                        ? " (" + budget.uncounted() + " past " + EntryBudget.MAX_GROUPS + " groups only counted here)" : "")
                : null;
        return new Readout(source, budget.entries(), budget.total(), note, false);
    }

    /** The same with one more note; {@code failed} marks a source that was read only in part. */
    Readout withNote(String more, boolean failedInPart) {
        return new Readout(source, entries, found, note == null ? more : note + "; " + more, failed || failedInPart);
    }

    static Readout failed(Entry.Source source, Exception cause) {
        return new Readout(source, List.of(), 0, "not read: " + cause.getMessage(), true);
    }

    static Readout skipped(Entry.Source source, String why) {
        return new Readout(source, List.of(), 0, why, false);
    }
}
