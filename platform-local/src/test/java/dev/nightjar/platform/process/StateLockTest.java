package dev.nightjar.platform.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {

    @TempDir
    Path state;

    @Test
    void aSecondCommandInTheSameProcessIsRefusedUntilTheFirstReleases() {
        try (StateLock held = StateLock.take(state, "up")) {
            assertThatThrownBy(() -> StateLock.take(state, "down"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid() + ": up");
        }
        StateLock.take(state, "down").close();
    }

    @Test
    void aRefusedTakeInTheHoldersProcessLeavesTheLockHeldAgainstOthers() throws Exception {
        try (StateLock held = StateLock.take(state, "up")) {
            assertThatThrownBy(() -> StateLock.take(state, "restart risk-service"))
                    .isInstanceOf(IllegalStateException.class);
            Process other = holder();
            other.getOutputStream().close(); // a holder that did get the lock lets it go and ends
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isNotZero();
            assertThat(output).doesNotContain("held").contains("pid " + ProcessHandle.current().pid() + ": up");
        }
    }

    @Test
    void aCommandInAnotherProcessIsRefusedWhileItHoldsTheLockAndNotOnceItHasExited() throws Exception {
        Process holder = holder();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(lines.readLine()).isEqualTo("held");
            assertThatThrownBy(() -> StateLock.take(state, "down"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("pid " + holder.pid() + ": chaos --short");
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        StateLock.take(state, "down").close();
    }

    /** A process of its own that takes the lock, prints "held" and holds it ({@link StateLockHolder}). */
    private Process holder() throws java.io.IOException {
        return new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StateLockHolder.class.getName(), state.toString()))
                .redirectErrorStream(true).start();
    }

    /** Takes the lock in a process of its own, says so, and holds it until its input ends or it is killed. */
    static final class StateLockHolder {

        public static void main(String[] args) throws java.io.IOException {
            try (StateLock lock = StateLock.take(Path.of(args[0]), "chaos --short")) {
                System.out.println("held");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // holds the lock until the test ends this process
                }
            }
        }
    }
}
