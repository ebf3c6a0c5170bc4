package dev.nightjar.common.lang;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class CausesTest {

    @Test
    void theOutermostCauseOfAnyOfTheTypesIsFound() {
        SocketTimeoutException inner = new SocketTimeoutException("read timed out");
        IOException middle = new IOException("wrapped", inner);
        RuntimeException outer = new UncheckedIOException("call failed", middle);

        assertThat(Causes.find(outer, SocketTimeoutException.class)).containsSame(inner);
        assertThat(Causes.first(outer, SocketTimeoutException.class, IOException.class)).containsSame(middle);
        assertThat(Causes.find(outer, RuntimeException.class)).containsSame(outer);
        assertThat(Causes.any(outer, ConnectException.class)).isFalse();
        assertThat(Causes.find(null, IOException.class)).isEmpty();
    }

    @Test
    void aCyclicChainEnds() {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);

        assertThat(Causes.any(a, ConnectException.class)).isFalse();
        assertThat(Causes.find(a, IllegalArgumentException.class)).containsSame(b);
    }
}
