package dev.nightjar.vault.token;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
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

    private final MeterRegistry meters;

    /** The operations the vault times; their series exist from the start, errors at zero included. */
    public static final java.util.List<String> OPERATIONS = java.util.List.of("tokenize", "describe", "detokenize");

    public VaultOperations(MeterRegistry meters) {
        this.meters = meters;
        for (String operation : OPERATIONS) {
            timer(operation, OK);
            timer(operation, ERROR);
        }
    }

    /** Runs {@code operation}, timing it under its name with its outcome; its exception, if any, goes on up. */
    public <T> T timed(String name, Supplier<T> operation) {
        long started = System.nanoTime();
        String outcome = ERROR;
        try {
            T result = operation.get();
            outcome = OK;
            return result;
        } finally {
            timer(name, outcome).record(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private Timer timer(String name, String outcome) {
        return Timer.builder(METRIC).description("Time the vault took for an operation, by operation and outcome")
                .tag("operation", name).tag("outcome", outcome)
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200))
                .register(meters);
    }
}
