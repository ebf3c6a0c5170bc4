package dev.nightjar.risk.features;

/**
 * Distinct members seen recently by one key (merchants a card paid at, cards tried from an IP address),
 * each with the last minute it was seen, kept as 64-bit hashes. Bounded: past {@code capacity} members the
 * one seen longest ago makes room, so the count saturates at the capacity instead of growing without end.
 *
 * <p>Not thread-safe: {@link FeatureStore} holds each key's lock while it reads or writes.
 */
final class DistinctRecent {

    private final int capacity;
    private long[] members = new long[2];
    private long[] lastMinutes = new long[2];
    private int size;

    DistinctRecent(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    void touch(String member, long minute) {
        long hash = hash(member);
        int oldest = 0;
        for (int i = 0; i < size; i++) {
            if (members[i] == hash) {
                lastMinutes[i] = Math.max(lastMinutes[i], minute);
                return;
            }
            if (lastMinutes[i] < lastMinutes[oldest]) {
                oldest = i;
            }
        }
        if (size < capacity) {
            if (size == members.length) {
                int grown = Math.min(capacity, members.length * 2);
                members = java.util.Arrays.copyOf(members, grown);
                lastMinutes = java.util.Arrays.copyOf(lastMinutes, grown);
            }
            members[size] = hash;
            lastMinutes[size] = minute;
            size++;
        } else if (minute > lastMinutes[oldest]) {
            members[oldest] = hash;
            lastMinutes[oldest] = minute;
        }
    }

    /** Members last seen in the {@code windowMinutes} minutes ending with {@code nowMinute}. */
    int count(long nowMinute, int windowMinutes) {
        long from = nowMinute - windowMinutes + 1;
        int count = 0;
        for (int i = 0; i < size; i++) {
            if (lastMinutes[i] >= from && lastMinutes[i] <= nowMinute) {
                count++;
            }
        }
        return count;
    }

    /** 64-bit FNV-1a: collisions among a key's few dozen members are negligible. */
    static long hash(String value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            hash ^= value.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
