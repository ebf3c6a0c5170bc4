package dev.nightjar.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A pid file that also records the process's start time, so a recycled pid is never mistaken for
 * (and never killed as) the process we started. The start is compared in clock ticks since boot
 * ({@code /proc/<pid>/stat}), not as the wall-clock instant the JDK derives from them: that instant moves
 * whenever the machine's clock is stepped, by 10 s within an hour on these machines, after which a
 * running fleet looked stopped to {@code status} and {@code down}. The wall-clock start stays in the
 * file for a reader of it, and is what a file written before the ticks were recorded is held to.
 */
public final class PidFile {

    private final Path file;

    public PidFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    public void write(ProcessHandle process) {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        String ticks = startTicks(process.pid()).map(value -> " " + value).orElse("");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, process.pid() + " " + started + ticks + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process this file names, if it is still the one that was recorded. */
    public Optional<ProcessHandle> live() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String[] fields = Files.readString(file).trim().split("\\s+");
            long pid = Long.parseLong(fields[0]);
            long recordedStart = fields.length > 1 ? Long.parseLong(fields[1]) : 0L;
            Optional<ProcessHandle> alive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (fields.length > 2) {
                long recordedTicks = Long.parseLong(fields[2]);
                return alive.filter(handle -> startTicks(pid).map(ticks -> ticks == recordedTicks).orElse(false));
            }
            return alive
                    .filter(handle -> recordedStart == 0L || handle.info().startInstant()
                            .map(start -> Math.abs(start.toEpochMilli() - recordedStart) < 2_000)
                            .orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** When the process started, in clock ticks after boot ({@link ProcessStat#startTicks}); empty where unreadable. */
    static Optional<Long> startTicks(long pid) {
        return ProcessStat.read(pid).map(ProcessStat::startTicks);
    }

    public void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, then SIGKILL if the process outlives {@code grace}. Returns true if it had to be killed. */
    public static boolean terminate(ProcessHandle process, Duration grace) {
        process.destroy();
        if (awaitExit(process, grace)) {
            return false;
        }
        process.destroyForcibly();
        awaitExit(process, Duration.ofSeconds(10));
        return true;
    }

    public static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
