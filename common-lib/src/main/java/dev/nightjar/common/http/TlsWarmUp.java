package dev.nightjar.common.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.common.lifecycle.BeforeFirstRequest;

/**
 * Mutual-TLS handshakes in memory, between two engines built from the service's own TLS context, run once
 * before the web server takes its first request. A freshly started JVM takes 20–400 ms of CPU per handshake
 * until the JIT has compiled the handshake's code, and 3–7 ms after about 150 of them. A service restarted
 * under load meets a crowd of callers at once: their handshakes and its own (to its dependencies, each with a
 * 2 s connect timeout) queue for the same two cores, time out, and read as an outage of whoever was called.
 * Paying for the compilation here, while nobody is waiting, lets the first real handshakes run at full speed.
 *
 * <p>Stops at {@code handshakes} or at {@code budget}, whichever comes first; never fails the start (the real
 * handshakes would report a broken certificate soon enough), only logs what it did.
 */
public final class TlsWarmUp extends BeforeFirstRequest {

    private static final Logger log = LoggerFactory.getLogger(TlsWarmUp.class);
    private static final int MAX_STEPS = 200;

    private final SSLContext context;
    private final String[] protocols;
    private final int handshakes;
    private final Duration budget;

    /**
     * @param context    the service's TLS context: its certificate and the trust anchors it accepts
     * @param protocols  the protocols its server and clients enable, or {@code null} for the context's defaults
     * @param handshakes the most handshakes to run
     * @param budget     the most time to spend
     */
    public TlsWarmUp(SSLContext context, String[] protocols, int handshakes, Duration budget) {
        this.context = context;
        this.protocols = protocols;
        this.handshakes = handshakes;
        this.budget = budget;
    }

    @Override
    protected void prepare() {
        long start = System.nanoTime();
        int done = 0;
        try {
            done = run();
            log.info("TLS warm-up: {} mutual-TLS handshakes in {} ms", done, (System.nanoTime() - start) / 1_000_000);
        } catch (SSLException e) {
            log.warn("TLS warm-up stopped after {} handshakes: {}", done, e.toString());
        }
    }

    /** Runs handshakes until {@code handshakes} are done or the budget is spent; returns how many completed. */
    public int run() throws SSLException {
        long deadline = System.nanoTime() + budget.toNanos();
        int done = 0;
        while (done < handshakes && System.nanoTime() < deadline) {
            // A peer port of its own for each: the client's session cache would otherwise resume the first session
            // and skip the certificate work this is here to warm.
            handshake(done + 1);
            done++;
        }
        return done;
    }

    /** One full mutual-TLS handshake between a client and a server engine; throws if either side refuses. */
    void handshake(int peerPort) throws SSLException {
        SSLEngine client = engine(context.createSSLEngine("tls-warm-up", peerPort), true);
        SSLEngine server = engine(context.createSSLEngine(), false);
        server.setNeedClientAuth(true);
        SSLSession session = client.getSession();
        // Room for a whole flight: one side may wrap several records while the other runs its delegated tasks.
        ByteBuffer toServer = ByteBuffer.allocate(4 * session.getPacketBufferSize());
        ByteBuffer toClient = ByteBuffer.allocate(4 * session.getPacketBufferSize());
        ByteBuffer clientApp = ByteBuffer.allocate(session.getApplicationBufferSize());
        ByteBuffer serverApp = ByteBuffer.allocate(session.getApplicationBufferSize());
        client.beginHandshake();
        server.beginHandshake();
        for (int step = 0; step < MAX_STEPS; step++) {
            boolean clientDone = step(client, toServer, toClient, clientApp);
            boolean serverDone = step(server, toClient, toServer, serverApp);
            if (clientDone && serverDone) {
                return;
            }
        }
        throw new SSLException("TLS warm-up handshake made no progress in " + MAX_STEPS + " steps");
    }

    private SSLEngine engine(SSLEngine engine, boolean clientMode) {
        engine.setUseClientMode(clientMode);
        if (protocols != null) {
            engine.setEnabledProtocols(protocols);
        }
        return engine;
    }

    /** One move of one side; the two network buffers stay in write mode between moves. True once it is done. */
    private static boolean step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
        switch (engine.getHandshakeStatus()) {
            case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
            case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                in.flip();
                engine.unwrap(in, app);
                in.compact();
                app.clear();
            }
            case NEED_TASK -> {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            }
            default -> {
                return true;
            }
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
    }
}
