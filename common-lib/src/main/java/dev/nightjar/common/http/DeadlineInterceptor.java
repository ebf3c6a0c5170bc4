package dev.nightjar.common.http;

import dev.nightjar.common.lifecycle.Watchdog;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.util.Timeout;

/**
 * Gives a call its time for the answer, from what its request has left once a connection is had, just before
 * the request is sent: the wait for a pooled connection, the connect and the TLS handshake come out of the same
 * budget instead of each adding to it. With too little left the request is not sent at all (a 503 with
 * {@code Retry-After}, see {@link Deadline}). Placed before HttpClient's main transport.
 *
 * <p>The time is kept by the process's {@link Watchdog}, not by the socket: the connection's reads wait
 * untimed, and a call still unanswered when its time is up has its connection closed and fails with a
 * {@link SocketTimeoutException}, as a read timeout would. The watch covers sending the request, its answer's
 * head and its body, until the body is read to its end or closed.
 */
final class DeadlineInterceptor implements ExecChainHandler {

    static final String NAME = "nightjar-deadline";

    private final Duration readTimeout;
    private final Watchdog watchdog;

    DeadlineInterceptor(Duration readTimeout, Watchdog watchdog) {
        this.readTimeout = readTimeout;
        this.watchdog = watchdog;
    }

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        Duration wait = answerWait(scope.clientContext, readTimeout);
        ExecRuntime runtime = scope.execRuntime;
        Watchdog.Watch watch = watchdog.arm(wait, runtime::discardEndpoint);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException e) {
            throw ioFailure(watch, e);
        } catch (RuntimeException | HttpException e) {
            if (watch.disarm()) {
                throw e;
            }
            throw timedOut(watch, e);
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            watch.disarm();
        } else {
            response.setEntity(new WatchedEntity(entity, watch));
        }
        return response;
    }

    /**
     * The call's time for its answer, from the time left now (its read timeout without a deadline); throws (a 503)
     * when too little is left. Its connection's reads are made untimed: the watch keeps the time.
     */
    static Duration answerWait(HttpClientContext context, Duration readTimeout) {
        Duration capped = Deadline.cap(readTimeout);
        context.setRequestConfig(RequestConfig.copy(context.getRequestConfigOrDefault())
                .setResponseTimeout(Timeout.DISABLED)
                .build());
        return capped == null ? readTimeout : capped;
    }

    /**
     * What a call fails with: a read timeout when the watch broke it off (whatever closing its connection made
     * the call see), else the failure itself. Either way the watch is done.
     */
    private static IOException ioFailure(Watchdog.Watch watch, IOException failure) {
        return watch.disarm() ? failure : timedOut(watch, failure);
    }

    private static SocketTimeoutException timedOut(Watchdog.Watch watch, Exception failure) {
        SocketTimeoutException timeout = new SocketTimeoutException(
                "Read timed out: no answer within " + watch.after().toMillis() + " ms");
        timeout.addSuppressed(failure);
        return timeout;
    }

    /** An answer's body, read under its call's watch: read to its end, or closed, it disarms the watch. */
    private static final class WatchedEntity extends HttpEntityWrapper {

        private final Watchdog.Watch watch;

        WatchedEntity(HttpEntity entity, Watchdog.Watch watch) {
            super(entity);
            this.watch = watch;
        }

        @Override
        public InputStream getContent() throws IOException {
            InputStream content;
            try {
                content = super.getContent();
            } catch (IOException e) {
                throw ioFailure(watch, e);
            }
            return content == null ? null : new FilterInputStream(content) {
                @Override
                public int read() throws IOException {
                    try {
                        return done(super.read());
                    } catch (IOException e) {
                        throw ioFailure(watch, e);
                    }
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    try {
                        return done(super.read(buffer, offset, length));
                    } catch (IOException e) {
                        throw ioFailure(watch, e);
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        watch.disarm();
                    }
                }
            };
        }

        private int done(int read) {
            if (read < 0) {
                watch.disarm();
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                watch.disarm();
            }
        }
    }
}
