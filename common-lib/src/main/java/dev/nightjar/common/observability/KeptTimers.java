package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * Timers each found in the registry once and kept by what tells them apart (at most {@link #MOST_KEPT}; past that
 * they are looked up each time, so they still count). The first of each is registered through the registry by
 * {@code register}, so meter filters and histogram settings apply to it. {@link TimersKept} keeps the observations'
 * timers here; {@link UnrecordedCalls} and {@link UnrecordedRequests} keep theirs by {@link Key}.
 */
final class KeptTimers<K> {

    /** More would mean an unbounded tag value somewhere; past it, timers are looked up as Micrometer does. */
    static final int MOST_KEPT = 10_000;

    /**
     * What tells a call's or a request's timer apart: three strings (for a call the host, method and URI template;
     * for a request the method and path pattern), the status and the class of the exception, or null. A plain class,
     * not a record: a record's {@code equals} and {@code hashCode} run through method handles, which C1 does not
     * inline ({@link TimersKept}).
     */
    static final class Key {
        final String first;
        final String second;
        final String third;
        final int status;
        final Class<?> error;
        private final int hash;

        Key(String first, String second, String third, int status, Class<?> error) {
            this.first = first;
            this.second = second;
            this.third = third;
            this.status = status;
            this.error = error;
            this.hash = (((Objects.hashCode(first) * 31 + Objects.hashCode(second)) * 31 + Objects.hashCode(third)) * 31
                    + status) * 31 + Objects.hashCode(error);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && status == key.status && error == key.error
                    && Objects.equals(first, key.first) && Objects.equals(second, key.second)
                    && Objects.equals(third, key.third);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** The {@code exception} tag Spring's conventions give the error: its simple name, or its name where it has none. */
        String exceptionTag() {
            if (error == null) {
                return NONE;
            }
            String simpleName = error.getSimpleName();
            return simpleName.isBlank() ? error.getName() : simpleName;
        }

        /** The {@code error} tag the meter handler ({@link TimersKept}) gives it: the simple name, as it is. */
        String errorTag() {
            return error == null ? NONE : error.getSimpleName();
        }
    }

    private static final String NONE = "none";

    private final MeterRegistry registry;
    private final Function<K, Timer> register;
    private final Map<K, Timer> timers = new ConcurrentHashMap<>();

    /** {@code register} registers the timer of a key not yet found. */
    KeptTimers(MeterRegistry registry, Function<K, Timer> register) {
        this.registry = registry;
        this.register = register;
    }

    Timer timer(K key) {
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = register.apply(key);
            if (timers.size() < MOST_KEPT) {
                timers.putIfAbsent(key, timer);
            }
        }
        return timer;
    }

    /** The registry's monotonic time, in nanoseconds. */
    long now() {
        return registry.config().clock().monotonicTime();
    }

    int size() {
        return timers.size();
    }

    /** The {@code outcome} tag Spring's conventions give a status; a negative one is none. */
    static String outcome(int status) {
        if (status < 100 || status > 999) {
            return "UNKNOWN";
        }
        HttpStatusCode code = HttpStatusCode.valueOf(status);
        return code.is2xxSuccessful() ? "SUCCESS" : code instanceof HttpStatus known ? known.series().name() : "UNKNOWN";
    }
}
