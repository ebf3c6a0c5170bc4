package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What happened in one run, a line per event with its simulated time. Kept only when asked for (a replay of one
 * seed), so thousands of passing runs format nothing.
 */
final class Trace {

    private final boolean enabled;
    private final List<String> lines = new ArrayList<>();

    Trace(boolean enabled) {
        this.enabled = enabled;
    }

    void add(long atMillis, String format, Object... args) {
        if (enabled) {
            lines.add(String.format(Locale.ROOT, "%10.3f s  ", atMillis / 1000.0) + String.format(Locale.ROOT, format, args));
        }
    }

    List<String> lines() {
        return Collections.unmodifiableList(lines);
    }
}
