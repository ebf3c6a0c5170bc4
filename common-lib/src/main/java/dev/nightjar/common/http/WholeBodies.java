package dev.nightjar.common.http;

import dev.nightjar.common.lang.Causes;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.util.FastByteArrayOutputStream;

/**
 * A request's body, up to {@link #MAX_WHOLE} bytes, is serialised before the request goes out and sent with its
 * {@code Content-Length}. Spring's streaming request for Apache HttpClient otherwise writes the converter's output
 * straight onto the connection in chunked encoding: the JSON converter's flush sent the headers and the body as one
 * TLS record, and the closing chunk followed as a second record in a second write, which the server's request thread
 * then waited for, parked, before it could answer (docs/performance.md, "Request bodies sent whole"). Now the headers
 * and the body leave in one write, and the server reads a body of known length. A larger body (a settlement batch
 * of tens of thousands of lines) is still streamed, so that it is never held whole in a service's heap.
 *
 * <p>A connection that breaks while a body is sent is an I/O error of the call: inside the call for a body sent
 * whole; for a streamed one, the JSON converter reports the broken socket under it as
 * {@link HttpMessageNotWritableException}, which is no {@code RestClientException} and would escape every caller that
 * turns an I/O error into "no answer, outcome unknown", so it becomes the {@link IOException} it wraps, which the client
 * reports as a {@code ResourceAccessException}. A body that cannot be serialised stays the converter's error.
 */
final class WholeBodies implements ClientHttpRequestFactory {

    /** The largest body sent whole; the services' own calls are a few hundred bytes to a few kilobytes. */
    static final int MAX_WHOLE = 256 * 1024;
    private static final int INITIAL_BUFFER = 1024;

    private final ClientHttpRequestFactory delegate;

    WholeBodies(ClientHttpRequestFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
        ClientHttpRequest request = delegate.createRequest(uri, method);
        return request instanceof StreamingHttpOutputMessage ? new Request(request, uri) : request;
    }

    /** What {@code body} writes, if it is at most {@code max} bytes; null if it is more. Nothing reaches a connection. */
    static byte[] serialise(StreamingHttpOutputMessage.Body body, int max) {
        Capped buffer = new Capped(max);
        try {
            body.writeTo(buffer);
        } catch (IOException e) {
            throw new HttpMessageNotWritableException("The request body could not be written", e);
        }
        return buffer.over ? null : buffer.bytes.toByteArrayUnsafe();
    }

    /** Writes a streamed body, an I/O error under the converter's exception being the I/O error it is. */
    static void write(StreamingHttpOutputMessage.Body body, OutputStream out) throws IOException {
        try {
            body.writeTo(out);
        } catch (HttpMessageNotWritableException e) {
            throw Causes.find(e.getCause(), IOException.class).orElseThrow(() -> e);
        }
    }

    /** Keeps what is written until it passes {@code max} bytes; then keeps nothing and says so. */
    private static final class Capped extends OutputStream {
        private final int max;
        private FastByteArrayOutputStream bytes = new FastByteArrayOutputStream(INITIAL_BUFFER);
        private boolean over;

        Capped(int max) {
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (over) {
                return;
            }
            if (bytes.size() + len > max) {
                over = true;
                bytes = null;
                return;
            }
            bytes.write(b, off, len);
        }
    }

    /**
     * A request whose body is handed on as bytes with their length, or streamed when it is larger than
     * {@link #MAX_WHOLE} or can be written only once. Its URI is the one it was made for: Apache HttpClient's request
     * builds a new {@code URI} from its parts on every {@code getURI()}, which the call's observation asks for up to
     * four times (the {@code client.name} tag and the {@code http.url} span tag).
     */
    private static final class Request extends ForwardingRequest {

        private final URI uri;

        Request(ClientHttpRequest request, URI uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public void setBody(Body body) {
            byte[] bytes = body.repeatable() ? serialise(body, MAX_WHOLE) : null;
            try {
                if (bytes != null) {
                    request.getHeaders().setContentLength(bytes.length);
                    ((StreamingHttpOutputMessage) request).setBody(bytes);
                } else {
                    super.setBody(new Body() {
                        @Override
                        public void writeTo(OutputStream out) throws IOException {
                            write(body, out);
                        }

                        @Override
                        public boolean repeatable() {
                            return body.repeatable();
                        }
                    });
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public URI getURI() {
            return uri;
        }
    }
}
