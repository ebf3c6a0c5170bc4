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
    void pidOfThisProcessIsLive() throws Exception {
        PidFile file = new PidFile(dir.resolve("me.pid"));
        file.write(ProcessHandle.current());
        assertThat(file.live()).map(ProcessHandle::pid).contains(ProcessHandle.current().pid());
        assertThat(Files.readString(file.path()).trim().split(" ")).hasSize(3);
    }

    @Test
    void recycledPidWithAnotherStartTimeIsNotMistakenForOurs() throws Exception {
        Path path = dir.resolve("stale.pid");
        Files.writeString(path, ProcessHandle.current().pid() + " 1000\n");
        assertThat(new PidFile(path).live()).isEmpty();
    }

    @Test
    void aStartRecordedInClockTicksHoldsWhenTheWallClockHasBeenSteppedSince() throws Exception {
        long pid = ProcessHandle.current().pid();
        long ticks = PidFile.startTicks(pid).orElseThrow();
        long wallClockStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        Path stepped = dir.resolve("stepped.pid");
        // as written before the clock moved ten seconds: the wall-clock start no longer matches, the ticks do
        Files.writeString(stepped, pid + " " + (wallClockStart - 10_000) + " " + ticks + "\n");
        assertThat(new PidFile(stepped).live()).map(ProcessHandle::pid).contains(pid);

        Path recycled = dir.resolve("recycled.pid");
        Files.writeString(recycled, pid + " " + wallClockStart + " " + (ticks - 1) + "\n");
        assertThat(new PidFile(recycled).live()).isEmpty();
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
