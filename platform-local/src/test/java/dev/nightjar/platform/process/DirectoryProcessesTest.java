package dev.nightjar.platform.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryProcessesTest {

    @TempDir
    Path dir;

    @Test
    void killAllKillsWhatWorksInTheDirectoryOrBelowAndNothingInASiblingWhoseNameItPrefixes() throws Exception {
        Path server = Files.createDirectories(dir.resolve("server"));
        Path below = Files.createDirectories(server.resolve("data"));
        Path sibling = Files.createDirectories(dir.resolve("server-other"));
        Process inside = new ProcessBuilder("sleep", "60").directory(server.toFile()).start();
        Process deeper = new ProcessBuilder("sleep", "60").directory(below.toFile()).start();
        Process next = new ProcessBuilder("sleep", "60").directory(sibling.toFile()).start();
        try {
            assertThat(DirectoryProcesses.workingIn(server)).extracting(ProcessHandle::pid)
                    .containsExactlyInAnyOrder(inside.pid(), deeper.pid());

            assertThat(DirectoryProcesses.killAll(server, Duration.ofSeconds(10))).isEqualTo(2);

            assertThat(inside.isAlive()).isFalse();
            assertThat(deeper.isAlive()).isFalse();
            assertThat(next.isAlive()).isTrue();
            assertThat(DirectoryProcesses.worksIn(next.toHandle(), sibling)).isTrue();
        } finally {
            next.destroyForcibly();
        }
    }
}
