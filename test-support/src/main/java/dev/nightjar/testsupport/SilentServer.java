package dev.nightjar.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local server that takes connections and never says a word: a service or acquirer that hangs, as its callers
 * see it (connected, then a read timeout). Closing it drops every connection it holds.
 */
public final class SilentServer implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public SilentServer() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofVirtual().name("silent-server-" + server.getLocalPort()).start(this::hold);
    }

    /** Its plain-HTTP base URL. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many connections it has taken so far. */
    public int connections() {
        return held.size();
    }

    private void hold() {
        try {
            while (true) {
                held.add(server.accept());
            }
        } catch (IOException closed) {
            // closed: the test is over
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        // a connection accepted just before the close is in the list once the acceptor has stopped
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket socket : held) {
            socket.close();
        }
    }
}
