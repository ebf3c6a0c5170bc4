package dev.nightjar.common.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.converter.HttpMessageNotWritableException;
import org.springframework.util.FastByteArrayOutputStream;

/**
 * A request's body is serialised before the request goes out and sent with its {@code Content-Length}.
 * Spring's streaming request for Apache HttpClient otherwise writes the converter's output straight onto the
 * connection in chunked encoding: the JSON converter's flush sent the headers and the body as one TLS record, and
 * the closing chunk followed as a second record in a second write, which the server's request thread then waited
 * for, parked, before it could answer (docs/performance.md, "Request bodies sent whole"). Now the headers and the
 * body leave in one write, and the server reads a body of known length.
 *
 * <p>Since the converter writes to memory, a connection that breaks while the body is sent breaks inside the
 * call, an I/O error the client reports as a {@code ResourceAccessException} ("no answer, outcome unknown"); a
 * body that cannot be serialised stays the converter's {@link HttpMessageNotWritableException}, an error of this
 * service, thrown before anything is sent. The bodies are this platform's own JSON, a few hundred bytes to a few
 * kilobytes.
 */
final class WholeBodies implements ClientHttpRequestFactory {

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

    /** The body as bytes: what {@code body} writes, and nothing of it on any connection. */
    static byte[] serialise(StreamingHttpOutputMessage.Body body) {
        FastByteArrayOutputStream buffer = new FastByteArrayOutputStream(INITIAL_BUFFER);
        try {
            body.writeTo(buffer);
        } catch (IOException e) {
            throw new HttpMessageNotWritableException("The request body could not be written", e);
        }
        return buffer.toByteArrayUnsafe();
    }

    /**
     * A request whose body is handed on as bytes with their length. Its URI is the one it was made for: Apache
     * HttpClient's request builds a new {@code URI} from its parts on every {@code getURI()}, which the call's
     * observation asks for up to four times (the {@code client.name} tag and the {@code http.url} span tag).
     */
    private static final class Request extends ForwardingRequest {

        private final URI uri;

        Request(ClientHttpRequest request, URI uri) {
            super(request);
            this.uri = uri;
        }

        @Override
        public void setBody(Body body) {
            byte[] bytes = serialise(body);
            request.getHeaders().setContentLength(bytes.length);
            try {
                ((StreamingHttpOutputMessage) request).setBody(bytes);
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
