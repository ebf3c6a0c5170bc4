package dev.nightjar.common.security;

import java.security.GeneralSecurityException;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Instances of a JCA primitive ({@code Mac}, {@code Cipher}, {@code MessageDigest}) kept for reuse. Getting one
 * from {@code getInstance} walks the provider list, and keying a {@code Mac} looks a provider up again: in the
 * gateway's idempotency hashes and the vault's AES-GCM that cost more than the work itself (docs/performance.md,
 * "Crypto objects made once, timers found once, calls inside an unrecorded trace without a span"). A thread-local
 * would not do: each request runs on a new virtual thread.
 *
 * <p>An instance is never shared: {@link #use} takes an idle one (or makes one), runs the work, and keeps the
 * instance for the next caller only if the work returned normally, so an instance left mid-operation by an
 * exception is dropped. At most {@code capacity} idle instances are kept.
 */
public final class Reusable<T> {

    /** Makes a new instance, keyed if every use shares one key. */
    @FunctionalInterface
    public interface Factory<T> {
        T create() throws GeneralSecurityException;
    }

    /** The work done with an instance; it must leave the instance as {@code doFinal} or {@code digest} do. */
    @FunctionalInterface
    public interface Work<T, R> {
        R apply(T instance) throws GeneralSecurityException;
    }

    private final Factory<T> factory;
    private final int capacity;
    private final ConcurrentLinkedQueue<T> idle = new ConcurrentLinkedQueue<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    public Reusable(Factory<T> factory, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.factory = Objects.requireNonNull(factory, "factory");
        this.capacity = capacity;
    }

    public <R> R use(Work<T, R> work) throws GeneralSecurityException {
        T instance = idle.poll();
        if (instance == null) {
            instance = factory.create();
        } else {
            idleCount.decrementAndGet();
        }
        R result = work.apply(instance);
        if (idleCount.incrementAndGet() <= capacity) {
            idle.offer(instance);
        } else {
            idleCount.decrementAndGet();
        }
        return result;
    }

    /** How many instances wait for a caller now. */
    public int idle() {
        return idleCount.get();
    }
}
