package dev.nightjar.common.http;

import java.io.IOException;
import java.time.Duration;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.util.Timeout;

/**
 * Sets a call's wait for its answer from the time its request has left once a connection is had, just
 * before the request is sent: the wait for a pooled connection, the connect and the TLS handshake come out
 * of the same budget instead of each adding to it. With too little left the request is not sent at all
 * (a 503 with {@code Retry-After}, see {@link Deadline}). Placed before HttpClient's main transport.
 */
final class DeadlineInterceptor implements ExecChainHandler {

    static final String NAME = "nightjar-deadline";

    private final Duration readTimeout;

    DeadlineInterceptor(Duration readTimeout) {
        this.readTimeout = readTimeout;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        limitAnswerWait(scope.clientContext, readTimeout);
        return chain.proceed(request, scope);
    }

    /** The call's wait for its answer set from the time left now; throws (a 503) when too little is left. */
    static void limitAnswerWait(HttpClientContext context, Duration readTimeout) {
        Duration wait = Deadline.cap(readTimeout);
        if (wait != null) {
            context.setRequestConfig(RequestConfig.copy(context.getRequestConfigOrDefault())
                    .setResponseTimeout(Timeout.of(wait))
                    .build());
        }
    }
}
