package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Finding and stopping the postmaster of a data directory, whoever started it (zonky's pg_ctl or Patroni). */
final class Postmasters {

    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private Postmasters() {
    }

    /**
     * The live postmaster of {@code dataDir}: the pid in its postmaster.pid, if that process still works in
     * the directory (a pid recycled by another process after a crash is not mistaken for it).
     */
    static Optional<ProcessHandle> of(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return ProcessHandle.of(Long.parseLong(first))
                    .filter(ProcessHandle::isAlive)
                    .filter(process -> DirectoryProcesses.worksIn(process, dataDir));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Fast shutdown (SIGINT: open transactions roll back, committed data is on disk); SIGKILL after {@code timeout}. */
    static void stopFast(ProcessHandle postmaster, Duration timeout) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid())).start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!PidFile.awaitExit(postmaster, timeout)) {
            postmaster.destroyForcibly();
            PidFile.awaitExit(postmaster, KILL_WAIT);
        }
    }
}
