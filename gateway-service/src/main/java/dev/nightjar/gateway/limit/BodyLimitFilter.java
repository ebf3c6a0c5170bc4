package dev.nightjar.gateway.limit;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.web.FilterErrors;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bodies of at most {@code maxBytes} (API.md: 16 KiB), checked before anything else reads them: a declared
 * length above the limit is a 413 at once; a body without a declared length (chunked) is read up to the
 * limit and refused the moment it goes past it.
 */
public final class BodyLimitFilter extends OncePerRequestFilter {

    /** The largest declared body read and dropped before a 413 over HTTP/2: four times the stream's first window. */
    static final long DRAIN_LIMIT = 256 * 1024;

    private final int maxBytes;

    public BodyLimitFilter(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            drainOverHttp2(request, declared);
            tooLarge(request, response);
            return;
        }
        if (declared >= 0 || !hasChunkedBody(request)) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = request.getInputStream().readNBytes(maxBytes + 1);
        if (body.length > maxBytes) {
            tooLarge(request, response);
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    /**
     * Over HTTP/2 an answer sent while the client is still sending its body ends the stream under it, and a client
     * may then report the reset instead of the 413 (curl did, now and then). A body the client declared up to
     * {@link #DRAIN_LIMIT} is therefore read and dropped first, so the client has sent everything when the answer
     * comes; a larger one is answered at once. HTTP/1.1 closes the connection after the answer instead.
     */
    private static void drainOverHttp2(HttpServletRequest request, long declared) {
        if (request.getProtocol().startsWith("HTTP/1") || declared > DRAIN_LIMIT) {
            return;
        }
        try {
            request.getInputStream().skipNBytes(declared);
        } catch (IOException e) {
            // the client sent less than it declared, or went away: answer what can still be answered
        }
    }

    private static boolean hasChunkedBody(HttpServletRequest request) {
        String encoding = request.getHeader("Transfer-Encoding");
        return encoding != null && encoding.toLowerCase(java.util.Locale.ROOT).contains("chunked");
    }

    private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (request.getProtocol().startsWith("HTTP/1")) {
            // HTTP/2 forbids connection headers (a stream carrying one is reset): there the stream just ends
            response.setHeader("Connection", "close");
        }
        FilterErrors.answer(response, 413, ApiError.of(ErrorType.INVALID_REQUEST,
                "request_too_large", "The request body is larger than " + maxBytes / 1024 + " KiB."));
    }

    /** A request whose body has already been read into memory. */
    private static final class BufferedBody extends HttpServletRequestWrapper {

        private final byte[] body;

        BufferedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() throws IOException {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
