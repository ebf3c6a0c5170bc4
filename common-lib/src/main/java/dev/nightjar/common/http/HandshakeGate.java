package dev.nightjar.common.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * At most {@code permits} TLS handshakes with one target at a time; a connection that would be one more waits
 * for a turn no longer than the handshake may take (and the request's time left), then fails as a timeout.
 *
 * <p>Why: every caller finds its pooled connections dead when the service it calls restarts, and a few hundred
 * handshakes started at once on a cold JVM (its elliptic-curve code still interpreted) on a busy host all time
 * out together, each one's work wasted, and the service stays out of reach long after it is up. Taken a few at
 * a time, each handshake is done in milliseconds and its connection goes back to the pool for the next caller.
 */
final class HandshakeGate implements TlsSocketStrategy {

    private final TlsSocketStrategy tls;
    private final Semaphore turns;
    private final Duration handshakeTimeout;

    HandshakeGate(TlsSocketStrategy tls, int permits, Duration handshakeTimeout) {
        this.tls = tls;
        this.turns = new Semaphore(permits, true);
        this.handshakeTimeout = handshakeTimeout;
    }

    @Override
    public SSLSocket upgrade(Socket socket, String target, int port, Object attachment, HttpContext context)
            throws IOException {
        Duration wait = Deadline.left().filter(left -> left.compareTo(handshakeTimeout) < 0).orElse(handshakeTimeout);
        boolean turn;
        try {
            turn = turns.tryAcquire(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for a TLS handshake with " + target);
        }
        if (!turn) {
            throw new NoHandshakeTurn("no turn for a TLS handshake with " + target + ":" + port + " within "
                    + wait.toMillis() + " ms (" + (turns.getQueueLength() + 1) + " waiting)");
        }
        try {
            return tls.upgrade(socket, target, port, attachment, context);
        } finally {
            turns.release();
        }
    }
}
