package dev.nightjar.gateway.health;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

/**
 * Whether this region can take a payment now: every check (the gateway's own readiness, and the vault and
 * transaction-service answering theirs) passes within {@code timeout}. The verdict is kept for {@code ttl}, so
 * health checkers probing every few seconds from many places cost the fleet one round of checks per
 * {@code ttl}; the checks run side by side, each on its own virtual thread, and one that does not answer in
 * time counts as failed.
 */
public final class RegionHealth implements AutoCloseable {

    /** One thing a payment needs: true when it answers that it can serve. */
    @FunctionalInterface
    public interface Check {
        boolean passes() throws Exception;
    }

    private record Verdict(boolean healthy, long atNanos) {
    }

    private final List<Check> checks;
    private final Duration timeout;
    private final Duration ttl;
    private final LongSupplier clock;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private Verdict last;

    public RegionHealth(List<Check> checks, Duration timeout, Duration ttl) {
        this(checks, timeout, ttl, System::nanoTime);
    }

    RegionHealth(List<Check> checks, Duration timeout, Duration ttl, LongSupplier clock) {
        this.checks = List.copyOf(checks);
        this.timeout = timeout;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The verdict, from the last round of checks if it is younger than {@code ttl}, else from a new round. */
    public synchronized boolean healthy() throws InterruptedException {
        long now = clock.getAsLong();
        if (last == null || now - last.atNanos() >= ttl.toNanos()) {
            last = new Verdict(checkAll(), now);
        }
        return last.healthy();
    }

    private boolean checkAll() throws InterruptedException {
        List<CompletableFuture<Boolean>> running = checks.stream()
                .map(check -> CompletableFuture.supplyAsync(() -> passes(check), threads))
                .toList();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean healthy = true;
        for (CompletableFuture<Boolean> check : running) {
            try {
                healthy &= check.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                check.cancel(true);
                healthy = false;
            }
        }
        return healthy;
    }

    private static boolean passes(Check check) {
        try {
            return check.passes();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
