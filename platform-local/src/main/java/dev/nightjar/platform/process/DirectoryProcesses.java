package dev.nightjar.platform.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The processes working in a directory, found by their working directory ({@code /proc/<pid>/cwd}).
 * <p>
 * A server that dies by SIGKILL can leave children behind: a postmaster's backends keep its shared memory
 * attached, and a new postmaster on the same data directory then refuses to start ("pre-existing shared
 * memory block is still in use"). Every server the platform starts runs in its own directory (PostgreSQL
 * changes into its data directory; etcd, Patroni and Kafka are started there), so the working directory
 * names what belongs to it without trusting a pid file that may be stale or recycled.
 */
public final class DirectoryProcesses {

    private static final Path PROC = Path.of("/proc");

    private DirectoryProcesses() {
    }

    /** Live processes whose working directory is {@code directory} or lies below it. */
    public static List<ProcessHandle> workingIn(Path directory) {
        Path target = realPath(directory);
        return ProcessHandle.allProcesses()
                .filter(process -> process.pid() != ProcessHandle.current().pid())
                .filter(process -> workingDirectory(process).map(cwd -> cwd.startsWith(target)).orElse(false))
                .toList();
    }

    /** Whether {@code process} works in {@code directory} (or below it): a pid read from a file is really ours. */
    public static boolean worksIn(ProcessHandle process, Path directory) {
        Path target = realPath(directory);
        return workingDirectory(process).map(cwd -> cwd.startsWith(target)).orElse(false);
    }

    /** The process's working directory, if it is alive, not a zombie, and we may read it. */
    public static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(PROC.resolve(Long.toString(process.pid())).resolve("cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * SIGKILLs every process working in {@code directory} and waits until all are gone: what a dead server
     * left behind, before a new one starts there. Returns how many there were.
     */
    public static int killAll(Path directory, Duration timeout) {
        List<ProcessHandle> leftovers = workingIn(directory);
        leftovers.forEach(ProcessHandle::destroyForcibly);
        Instant deadline = Instant.now().plus(timeout);
        for (ProcessHandle process : leftovers) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (!PidFile.awaitExit(process, left.isNegative() ? Duration.ZERO : left)) {
                throw new IllegalStateException("process " + process.pid() + " in " + directory
                        + " did not exit within " + timeout + " of SIGKILL");
            }
        }
        return leftovers.size();
    }

    private static Path realPath(Path directory) {
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            return directory.toAbsolutePath().normalize();
        }
    }
}
