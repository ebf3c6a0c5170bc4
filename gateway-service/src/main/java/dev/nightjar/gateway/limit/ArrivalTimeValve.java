package dev.nightjar.gateway.limit;

import jakarta.servlet.ServletException;
import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;

/**
 * Hands the servlet filters the instant a request began to arrive (its first byte, as Tomcat marks it for
 * HTTP/1.1 and HTTP/2 alike), so a request's budget counts the time it waited before any filter ran: for a
 * carrier thread on a busy host, behind other streams of its connection, in the TLS handshake of a new
 * connection. The merchant's client counts that time too.
 */
public final class ArrivalTimeValve extends ValveBase {

    /** The request attribute: {@link System#nanoTime} when the request began to arrive, a {@code Long}. */
    public static final String ARRIVED_NANOS = "dev.nightjar.arrivedNanos";

    public ArrivalTimeValve() {
        super(true);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        long arrived = request.getCoyoteRequest().getStartTimeNanos();
        if (arrived > 0) {
            request.setAttribute(ARRIVED_NANOS, arrived);
        }
        getNext().invoke(request, response);
    }
}
