package dev.nightjar.common.observability;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * An HTTP/2 request as the server observation reads its error: without the reset of a client that already had its
 * answer. Spring writes a response body and flushes it before the filters after the handler have run, so a client
 * holding every byte of the body its {@code Content-Length} announced may reset the stream before the server ends it
 * (curl does). Tomcat then records a plain {@link IOException} as the request's error
 * ({@link RequestDispatcher#ERROR_EXCEPTION}), and the observation would mark a payment answered {@code 201} as
 * failed, its span tagged {@code error}. That error is hidden once the answer is committed with a status under 500;
 * any other error, or the same one before the answer was committed, is read as it is.
 */
final class AnsweredRequest extends HttpServletRequestWrapper {

    static final String HTTP_2 = "HTTP/2.0";

    private final HttpServletResponse response;

    AnsweredRequest(HttpServletRequest request, HttpServletResponse response) {
        super(request);
        this.response = response;
    }

    @Override
    public Object getAttribute(String name) {
        Object value = super.getAttribute(name);
        if (value != null && value.getClass() == IOException.class && RequestDispatcher.ERROR_EXCEPTION.equals(name)
                && response.isCommitted() && response.getStatus() < 500) {
            return null;
        }
        return value;
    }
}
