package dev.nightjar.common.http;

import dev.nightjar.common.lang.Causes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.converter.HttpMessageNotWritableException;

/**
 * Makes a connection that breaks while a request body is being written what it is: an I/O error of the call.
 * The body is serialised straight onto the connection, and the JSON converter reports the broken socket under
 * it as {@link HttpMessageNotWritableException}, which is no {@code RestClientException}: every caller that
 * turns an I/O error into "no answer, outcome unknown" would let it escape. Here it becomes the
 * {@link IOException} it wraps, which the client reports as a {@code ResourceAccessException}; a body that
 * cannot be serialised at all stays an error of this service.
 */
final class WriteFailures implements ClientHttpRequestFactory {

    private final ClientHttpRequestFactory delegate;

    WriteFailures(ClientHttpRequestFactory delegate) {
        this.delegate = delegate;
    }

    @Override
    public ClientHttpRequest createRequest(URI uri, HttpMethod method) throws IOException {
        ClientHttpRequest request = delegate.createRequest(uri, method);
        return request instanceof StreamingHttpOutputMessage ? new Request(request, uri) : request;
    }

    static void write(StreamingHttpOutputMessage.Body body, OutputStream out) throws IOException {
        try {
            body.writeTo(out);
        } catch (HttpMessageNotWritableException e) {
            throw Causes.find(e.getCause(), IOException.class).orElseThrow(() -> e);
        }
    }

    /**
     * A streaming request whose body is written through {@link #write}. Its URI is the one it was made for: Apache
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

        @Override
        public URI getURI() {
            return uri;
        }
    }
}
