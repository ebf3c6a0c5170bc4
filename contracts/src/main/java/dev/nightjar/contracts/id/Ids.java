package dev.nightjar.contracts.id;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Prefixed, sortable, globally unique ids: {@code pay_01JD7V8Q6N2C3XK4M5P6R7S8T9}.
 *
 * <p>The part after the prefix is a ULID: 48 bits of milliseconds since the epoch then 80 random bits,
 * in Crockford base 32 (26 characters). Ids made in the same millisecond by one process increase
 * monotonically, so ids sort by creation time and the time can be read back with {@link #timestampOf}.
 */
public final class Ids {

    public static final String PAYMENT = "pay";
    public static final String REFUND = "re";
    public static final String JOURNAL_ENTRY = "je";
    public static final String TOKEN = "tok";
    public static final String MERCHANT = "mer";
    public static final String EVENT = "evt";
    public static final String WEBHOOK_ENDPOINT = "we";
    public static final String AUTHORIZATION = "auth";
    public static final String CLIENT = "cli";
    public static final String SETTLEMENT_BATCH = "stl";

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final int ULID_LENGTH = 26;
    private static final long MAX_TIMESTAMP = (1L << 48) - 1;
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            DECODE[ALPHABET[i]] = (byte) i;
            DECODE[Character.toLowerCase(ALPHABET[i])] = (byte) i;
        }
    }

    private static final Generator GENERATOR = new Generator();

    private Ids() {
    }

    /** A new id with the given prefix, e.g. {@code newId(Ids.PAYMENT)}. */
    public static String newId(String prefix) {
        return prefix + "_" + GENERATOR.next();
    }

    /** True when {@code id} is {@code prefix_} followed by a well-formed ULID. */
    public static boolean isValid(String id, String prefix) {
        if (id == null || id.length() != prefix.length() + 1 + ULID_LENGTH || !id.startsWith(prefix + "_")) {
            return false;
        }
        for (int i = prefix.length() + 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 128 || DECODE[c] < 0) {
                return false;
            }
        }
        // The first character carries only 3 bits of the 48-bit timestamp.
        return DECODE[id.charAt(prefix.length() + 1)] <= 7;
    }

    /** The creation time encoded in a valid prefixed id. */
    public static Instant timestampOf(String id) {
        int start = id.indexOf('_') + 1;
        if (start == 0 || id.length() - start != ULID_LENGTH) {
            throw new IllegalArgumentException("not a prefixed ULID: " + id);
        }
        long millis = 0;
        for (int i = start; i < start + 10; i++) {
            char c = id.charAt(i);
            if (c >= 128 || DECODE[c] < 0) {
                throw new IllegalArgumentException("not a prefixed ULID: " + id);
            }
            millis = (millis << 5) | DECODE[c];
        }
        return Instant.ofEpochMilli(millis);
    }

    /** The smallest ULID (as a prefixed id) whose timestamp is {@code instant}: a lower bound for range scans. */
    public static String lowerBound(String prefix, Instant instant) {
        return prefix + "_" + encode(instant.toEpochMilli(), 0L, 0);
    }

    /**
     * An id made at {@code instant} (to the millisecond) with its random part drawn from {@code random}: for
     * history written after the fact (the local platform's seeding), where the time is the event's, not now,
     * and a seeded generator makes the same history again. Ids made this way are not monotonic.
     */
    public static String at(String prefix, Instant instant, java.util.random.RandomGenerator random) {
        return prefix + "_" + encode(instant.toEpochMilli(), random.nextInt() & 0xFFFF, random.nextLong());
    }

    private static String encode(long millis, long randomHigh16, long randomLow64) {
        if (millis < 0 || millis > MAX_TIMESTAMP) {
            throw new IllegalArgumentException("timestamp out of ULID range: " + millis);
        }
        char[] out = new char[ULID_LENGTH];
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (millis & 31)];
            millis >>>= 5;
        }
        // 80 random bits = 16 high bits + 64 low bits, written as 16 base-32 characters.
        long low = randomLow64;
        long high = randomHigh16 & 0xFFFF;
        for (int i = 25; i >= 10; i--) {
            out[i] = ALPHABET[(int) (low & 31)];
            low = (low >>> 5) | ((high & 31) << 59);
            high >>>= 5;
        }
        return new String(out);
    }

    /** Monotonic ULID source: within one millisecond the random part is incremented instead of redrawn. */
    private static final class Generator {
        private final SecureRandom random = new SecureRandom();
        private final ReentrantLock lock = new ReentrantLock();
        private long lastMillis = -1;
        private long high16;
        private long low64;

        String next() {
            lock.lock();
            try {
                long now = System.currentTimeMillis();
                if (now > lastMillis) {
                    lastMillis = now;
                    high16 = random.nextInt() & 0xFFFF;
                    low64 = random.nextLong();
                } else {
                    // Same millisecond (or the clock stepped back): keep order by incrementing the 80-bit number.
                    low64++;
                    if (low64 == 0) {
                        high16 = (high16 + 1) & 0xFFFF;
                        if (high16 == 0) {
                            lastMillis++;
                        }
                    }
                }
                return encode(lastMillis, high16, low64);
            } finally {
                lock.unlock();
            }
        }
    }
}
