package dev.nightjar.platform.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PidFileTest {

    @TempDir
    Path dir;

    @Test
    void pidOfThisProcessIsLive() {
        PidFile file = new PidFile(dir.resolve("me.pid"));
        file.write(ProcessHandle.current());
        assertThat(file.live()).map(ProcessHandle::pid).contains(ProcessHandle.current().pid());
    }

    @Test
    void recycledPidWithAnotherStartTimeIsNotMistakenForOurs() throws Exception {
        Path path = dir.resolve("stale.pid");
        Files.writeString(path, ProcessHandle.current().pid() + " 1000\n");
        assertThat(new PidFile(path).live()).isEmpty();
    }

    @Test
    void missingOrGarbledFileMeansNotRunning() throws Exception {
        assertThat(new PidFile(dir.resolve("none.pid")).live()).isEmpty();
        Path garbled = dir.resolve("garbled.pid");
        Files.writeString(garbled, "not a pid");
        assertThat(new PidFile(garbled).live()).isEmpty();
    }

    @Test
    void terminateStopsAChildProcess() throws Exception {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        boolean killed = PidFile.terminate(sleeper.toHandle(), java.time.Duration.ofSeconds(5));
        assertThat(killed).isFalse();
        assertThat(sleeper.isAlive()).isFalse();
    }
}
