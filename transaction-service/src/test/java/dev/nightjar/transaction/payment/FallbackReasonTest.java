package dev.nightjar.transaction.payment;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.web.client.ResourceAccessException;

/** Why a call to a dependency got no answer, from the cause its client wrapped: as the fallback metrics label it. */
class FallbackReasonTest {

    @Test
    void aReadTimeoutIsATimeout() {
        assertThat(Collaborators.fallbackReason(new ResourceAccessException("I/O error",
                new SocketTimeoutException("Read timed out")))).isEqualTo(Collaborators.TIMEOUT);
    }

    @Test
    void noConnectionIsUnavailableThoughAConnectTimeoutIsASocketTimeout() {
        assertThat(Collaborators.fallbackReason(new ResourceAccessException("I/O error",
                new ConnectTimeoutException("Connect timed out")))).isEqualTo(Collaborators.UNAVAILABLE);
        assertThat(Collaborators.fallbackReason(new ResourceAccessException("I/O error",
                new ConnectException("Connection refused")))).isEqualTo(Collaborators.UNAVAILABLE);
        assertThat(Collaborators.fallbackReason(new IllegalStateException("an error answer")))
                .isEqualTo(Collaborators.UNAVAILABLE);
    }
}
