package dev.nightjar.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.http.TlsWarmUp;
import dev.nightjar.testsupport.TestTls;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

class TlsWarmUpTest {

    private static final String[] TLS_13 = {"TLSv1.3"};

    @Test
    void runsTheRequestedNumberOfMutualTlsHandshakesWithTheServicesOwnCertificate() throws SSLException {
        var warmUp = new TlsWarmUp(TestTls.clientContext("auth-service"), TLS_13, 25, Duration.ofMinutes(1));

        assertThat(warmUp.run()).isEqualTo(25);
    }

    @Test
    void aContextWithoutACertificateFailsTheHandshakeInsteadOfCountingIt() {
        var warmUp = new TlsWarmUp(TestTls.clientContext(null), TLS_13, 5, Duration.ofMinutes(1));

        assertThatThrownBy(warmUp::run).isInstanceOf(SSLException.class);
    }

    @Test
    void stopsAtItsTimeBudgetWhateverTheCount() throws SSLException {
        var warmUp = new TlsWarmUp(TestTls.clientContext("auth-service"), TLS_13, 1_000_000, Duration.ofMillis(300));
        long start = System.nanoTime();

        int done = warmUp.run();

        assertThat(done).isBetween(1, 999_999);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void startsBeforeTheWebServerOpensItsPortsAndMarksItselfRunning() {
        var warmUp = new TlsWarmUp(TestTls.clientContext("auth-service"), TLS_13, 3, Duration.ofMinutes(1));

        warmUp.start();

        assertThat(warmUp.isRunning()).isTrue();
        assertThat(warmUp.getPhase()).isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE);
    }
}
