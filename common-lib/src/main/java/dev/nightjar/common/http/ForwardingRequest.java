package dev.nightjar.common.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A client request that hands everything to the one it wraps; a subclass changes what it must. It streams its body
 * as the wrapped request does (a body written to one that does not stream goes to its output at once).
 */
public abstract class ForwardingRequest implements ClientHttpRequest, StreamingHttpOutputMessage {

    protected final ClientHttpRequest request;

    protected ForwardingRequest(ClientHttpRequest request) {
        this.request = request;
    }

    @Override
    public void setBody(Body body) {
        if (request instanceof StreamingHttpOutputMessage streaming) {
            streaming.setBody(body);
        } else {
            try {
                body.writeTo(request.getBody());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public ClientHttpResponse execute() throws IOException {
        return request.execute();
    }

    @Override
    public OutputStream getBody() throws IOException {
        return request.getBody();
    }

    @Override
    public HttpHeaders getHeaders() {
        return request.getHeaders();
    }

    @Override
    public HttpMethod getMethod() {
        return request.getMethod();
    }

    @Override
    public URI getURI() {
        return request.getURI();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return request.getAttributes();
    }
}
