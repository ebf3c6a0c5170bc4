package dev.nightjar.common.lang;

import java.util.Optional;

/**
 * Walks a failure and its causes, outermost first: what a call failed with is often wrapped two or three times
 * (Spring's client exceptions around Apache HttpClient's around the socket's), and what to do depends on the
 * innermost. Stops at a cause that is its own cause and after {@link #MAX_DEPTH} links, so a cyclic chain ends.
 */
public final class Causes {

    static final int MAX_DEPTH = 32;

    private Causes() {
    }

    /** The outermost of {@code failure} and its causes that is one of {@code types}. */
    @SafeVarargs
    public static Optional<Throwable> first(Throwable failure, Class<? extends Throwable>... types) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(cause)) {
                    return Optional.of(cause);
                }
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return Optional.empty();
    }

    /** The outermost of {@code failure} and its causes that is a {@code type}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        return first(failure, type).map(type::cast);
    }

    /** Whether {@code failure} or one of its causes is one of {@code types}. */
    @SafeVarargs
    public static boolean any(Throwable failure, Class<? extends Throwable>... types) {
        return first(failure, types).isPresent();
    }
}
