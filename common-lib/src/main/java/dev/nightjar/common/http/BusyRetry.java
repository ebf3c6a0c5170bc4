package dev.nightjar.common.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.web.client.ResourceAccessException;

/**
 * Asks a service again while it answers busy: a {@code 503} marked {@code Nightjar-Busy} (see
 * {@link RemoteCallException#isBusy()}) was shed by the service's in-flight bound before any of its work began,
 * so the same request can be sent again without doing anything twice. A few short waits, each a random time up to
 * its step so that callers shed together do not come back together, and not when the request's {@link Deadline}
 * would leave too little after the wait; then the busy answer stands and the caller treats it as it would have.
 */
public final class BusyRetry {

    /** The longest wait before each further ask: two more asks within about 70 ms. */
    public static final List<Duration> WAITS = List.of(Duration.ofMillis(20), Duration.ofMillis(50));

    private BusyRetry() {
    }

    /** {@code nightjar.busy.retries} for calls to {@code callee}: how often it was asked again because it was busy. */
    public static Counter counter(MeterRegistry meters, String callee) {
        return Counter.builder("nightjar.busy.retries").tag("callee", callee)
                .description("Calls asked again because the service called answered busy (shed before any work)")
                .register(meters);
    }

    /**
     * {@code call}'s answer, asked again after each of {@link #WAITS} while it throws a busy
     * {@link RemoteCallException}; {@code onRetry} runs before each wait (to count it). Any other failure, and the
     * last busy answer, is thrown as it came.
     */
    public static <T> T call(Supplier<T> call, Runnable onRetry) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (RemoteCallException e) {
                if (!e.isBusy() || attempt == WAITS.size()) {
                    throw e;
                }
                long waitMillis = ThreadLocalRandom.current().nextLong(WAITS.get(attempt).toMillis() / 2,
                        WAITS.get(attempt).toMillis() + 1);
                if (Deadline.left().filter(left -> Deadline.tooLittle(left.minusMillis(waitMillis))).isPresent()) {
                    throw e;
                }
                onRetry.run();
                pause(waitMillis);
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ResourceAccessException("interrupted while waiting to ask a busy service again");
        }
    }
}
