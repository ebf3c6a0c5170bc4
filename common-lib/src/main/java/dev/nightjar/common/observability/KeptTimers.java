package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The timers of one name, each found in the registry once and kept by what tells it apart (at most
 * {@link TimersKept#MOST_KEPT}; past that they are looked up each time). The first of each is registered through the
 * registry, so meter filters and histogram settings apply to it.
 */
final class KeptTimers {

    /**
     * What tells a call's or a request's timer apart: three strings (for a call the host, method and URI template;
     * for a request the method and path pattern), the status and the exception. A plain class, not a record: a
     * record's {@code equals} and {@code hashCode} run through method handles, which C1 does not inline
     * ({@link TimersKept}).
     */
    static final class Key {
        final String first;
        final String second;
        final String third;
        final int status;
        final String exception;
        private final int hash;

        Key(String first, String second, String third, int status, String exception) {
            this.first = first;
            this.second = second;
            this.third = third;
            this.status = status;
            this.exception = exception;
            this.hash = (((Objects.hashCode(first) * 31 + Objects.hashCode(second)) * 31 + Objects.hashCode(third)) * 31
                    + status) * 31 + exception.hashCode();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && hash == key.hash && status == key.status
                    && exception.equals(key.exception) && Objects.equals(first, key.first)
                    && Objects.equals(second, key.second) && Objects.equals(third, key.third);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final MeterRegistry registry;
    private final String name;
    private final Function<Key, List<Tag>> tags;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** {@code tags} gives the tags of a timer not yet found. */
    KeptTimers(MeterRegistry registry, String name, Function<Key, List<Tag>> tags) {
        this.registry = registry;
        this.name = name;
        this.tags = tags;
    }

    Timer timer(Key key) {
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = registry.timer(name, tags.apply(key));
            if (timers.size() < TimersKept.MOST_KEPT) {
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

    /**
     * The {@code error} tag the meter handler ({@link TimersKept}) gives the error whose {@code exception} tag is
     * {@code exception}: its simple name, which is empty where the exception tag fell back to the class's name.
     */
    static String errorTag(String exception) {
        return exception.indexOf('.') >= 0 || exception.indexOf('$') >= 0 ? "" : exception;
    }

    /** The {@code exception} tag Spring's conventions give an error: its simple name, or its name where it has none. */
    static String exceptionName(Throwable error) {
        String simpleName = error.getClass().getSimpleName();
        return simpleName.isBlank() ? error.getClass().getName() : simpleName;
    }
}
