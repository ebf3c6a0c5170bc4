package dev.nightjar.common.http;

import dev.nightjar.common.lang.Causes;
import java.io.IOException;
import java.util.Optional;

/**
 * A connection that waited in vain for its turn at a TLS handshake with its target ({@link HandshakeGate}): the
 * caller's own handshakes with the target were all under way and took the wait. Nothing was sent, so the
 * target's health learns nothing from it ({@link Availability#observe}, an acquirer's circuit breaker), and a
 * request that failed this way may be sent again or elsewhere.
 *
 * <p>A plain {@link IOException} on purpose: Apache HttpClient replaces a {@code SocketTimeoutException} raised
 * while connecting with a {@code ConnectTimeoutException} that does not keep it as its cause, and this one must
 * stay recognisable ({@link #among}) where the call fails.
 */
public final class NoHandshakeTurn extends IOException {

    private static final long serialVersionUID = 1L;

    public NoHandshakeTurn(String message) {
        super(message);
    }

    /** Whether the failure, or one of its causes, is a wait for a turn. */
    public static boolean among(Throwable failure) {
        return in(failure).isPresent();
    }

    /** The wait for a turn that the failure is, or was caused by. */
    public static Optional<NoHandshakeTurn> in(Throwable failure) {
        return Causes.find(failure, NoHandshakeTurn.class);
    }
}
