package dev.nightjar.testsupport;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/** Polls for a condition with a deadline: tests never sleep a fixed time to wait for something. */
public final class Await {

    private Await() {
    }

    /** Returns the first non-null value {@code probe} yields within {@code timeout}; fails with {@code what} otherwise. */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (true) {
            try {
                T value = probe.get();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (Instant.now().isAfter(deadline)) {
                AssertionError failure = new AssertionError("timed out after " + timeout + " waiting for " + what);
                if (last != null) {
                    failure.initCause(last);
                }
                throw failure;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
