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

    /** An operation's two timers: completed, and ended in an error. */
    private record Outcomes(Timer ok, Timer error) {
    }

    /**
     * The timers by operation, registered once: building and registering a timer with its buckets on every call
     * was about a hundredth of the vault's CPU at load.
     */
    private final Map<String, Outcomes> timers = new HashMap<>();

    public VaultOperations(MeterRegistry meters) {
        for (String operation : OPERATIONS) {
            timers.put(operation, new Outcomes(timer(meters, operation, OK), timer(meters, operation, ERROR)));
        }
    }

    /** Runs {@code operation}, timing it under its name with its outcome; its exception, if any, goes on up. */
    public <T> T timed(String name, Supplier<T> operation) {
        Outcomes outcomes = timers.get(name);
        if (outcomes == null) {
            throw new IllegalArgumentException("the vault times no operation named '" + name + "'");
        }
        long started = System.nanoTime();
        Timer outcome = outcomes.error();
        try {
            T result = operation.get();
            outcome = outcomes.ok();
            return result;
        } finally {
            outcome.record(Duration.ofNanos(System.nanoTime() - started));
        }
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
