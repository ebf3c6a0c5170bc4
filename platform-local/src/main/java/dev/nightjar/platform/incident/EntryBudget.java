package dev.nightjar.platform.incident;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One source's entries, kept one by one up to a limit; past it, condensed into one entry per minute and group
 * (an event type, an audit action, a service's logger at a level) with its count and its first summary, so a
 * busy window still prints in a screenful while nothing is left uncounted.
 */
final class EntryBudget {

    /** Groups beyond this many are only counted: a bound on memory however wide and noisy the window. */
    static final int MAX_GROUPS = 20_000;
    private static final int SAMPLE_CHARS = 200;

    private record GroupKey(Instant minute, String component, String level, String group) {
    }

    private static final class Group {
        private long count;
        private final Entry first;

        private Group(Entry first) {
            this.first = first;
        }
    }

    private final int limit;
    private final List<Entry> kept = new ArrayList<>();
    private final Map<GroupKey, Group> groups = new HashMap<>();
    private long total;
    private long uncounted;

    EntryBudget(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
    }

    void add(Entry entry, String group) {
        total++;
        if (total <= limit) {
            kept.add(entry);
        } else {
            kept.clear();
        }
        GroupKey key = new GroupKey(entry.at().truncatedTo(ChronoUnit.MINUTES), entry.component(), entry.level(), group);
        Group existing = groups.get(key);
        if (existing == null && groups.size() >= MAX_GROUPS) {
            uncounted++;
            return;
        }
        if (existing == null) {
            existing = new Group(entry);
            groups.put(key, existing);
        }
        existing.count++;
    }

    /** Every entry added, or, past the limit, one per minute and group. */
    List<Entry> entries() {
        if (total <= limit) {
            return List.copyOf(kept);
        }
        List<Entry> condensed = new ArrayList<>();
        groups.forEach((key, group) -> condensed.add(new Entry(key.minute(), group.first.source(), key.component(),
                key.level(), key.group() + ": " + group.count + " in this minute (first: " + sample(group.first.summary()) + ")",
                null, Map.of("count", Long.toString(group.count), "group", key.group()))));
        condensed.sort(Comparator.comparing(Entry::at).thenComparing(Entry::component).thenComparing(Entry::summary));
        return condensed;
    }

    long total() {
        return total;
    }

    boolean condensed() {
        return total > limit;
    }

    /** Entries past {@link #MAX_GROUPS} groups, counted in {@link #total} but in no condensed entry. */
    long uncounted() {
        return uncounted;
    }

    private static String sample(String summary) {
        return summary.length() <= SAMPLE_CHARS ? summary : summary.substring(0, SAMPLE_CHARS) + "...";
    }
}
