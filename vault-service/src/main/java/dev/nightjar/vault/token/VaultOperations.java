package dev.nightjar.vault.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code nightjar_vault_operations_seconds{operation,outcome}}: how long the vault took for each operation
 * ({@code tokenize}, {@code describe}, {@code detokenize}) and whether it completed ({@code ok}) or ended in an
 * error ({@code error}: refused input, an unknown token, a database, key or audit log failure alike). The
 * histogram's buckets include the payment path's thresholds: the vault is two of its hops.
 */
public final class VaultOperations {

    public static final String METRIC = "nightjar.vault.operations";
    public static final String OK = "ok";
    public static final String ERROR = "error";

    /** The operations the vault times; their series exist from the start, errors at zero included. */
    public static final java.util.List<String> OPERATIONS = java.util.List.of("tokenize", "describe", "detokenize");

    /**
     * The timers by operation and outcome, registered once: building and registering a timer with its buckets
     * on every call was about a hundredth of the vault's CPU at load.
     */
    private final Map<String, Timer> timers = new HashMap<>();

    public VaultOperations(MeterRegistry meters) {
        for (String operation : OPERATIONS) {
            for (String outcome : new String[] {OK, ERROR}) {
                timers.put(key(operation, outcome), timer(meters, operation, outcome));
            }
        }
    }

    /** Runs {@code operation}, timing it under its name with its outcome; its exception, if any, goes on up. */
    public <T> T timed(String name, Supplier<T> operation) {
        Timer ok = timers.get(key(name, OK));
        if (ok == null) {
            throw new IllegalArgumentException("the vault times no operation named '" + name + "'");
        }
        long started = System.nanoTime();
        Timer outcome = timers.get(key(name, ERROR));
        try {
            T result = operation.get();
            outcome = ok;
            return result;
        } finally {
            outcome.record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private static String key(String operation, String outcome) {
        return operation + '/' + outcome;
    }

    private static Timer timer(MeterRegistry meters, String name, String outcome) {
        return Timer.builder(METRIC).description("Time the vault took for an operation, by operation and outcome")
                .tag("operation", name).tag("outcome", outcome)
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200))
                .register(meters);
    }
}
