package dev.nightjar.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One command that starts or stops the platform's processes at a time on a state directory. An {@code up} started
 * while a {@code down} was still stopping services (a service writing its AOT cache at exit takes a minute) failed,
 * reporting a service as exited during its start. The lock is the operating system's ({@code fcntl}) on
 * {@code launcher.lock} in
 * the state directory, so it goes with the process that held it, however that process ends; the file names the
 * holder (its pid and command) for the next command's message.
 *
 * <p>Within one process the lock is known from memory: such a lock belongs to the process, not to the file
 * descriptor, so closing any descriptor of the file, a refused take's included, would give it up while its holder
 * goes on.
 */
public final class StateLock implements AutoCloseable {

    static final String FILE = "launcher.lock";
    /** The lock files this process holds, each with its holder's line. */
    private static final ConcurrentMap<Path, String> HELD = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code state} for {@code command}, or throws naming the command that holds it.
     *
     * @throws IllegalStateException when another command holds it, in this process or another
     */
    public static StateLock take(Path state, String command) {
        Path file = state.toAbsolutePath().normalize().resolve(FILE);
        String line = "pid " + ProcessHandle.current().pid() + ": " + command;
        String heldHere = HELD.putIfAbsent(file, line);
        if (heldHere != null) {
            throw refused(state, heldHere);
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(state);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw refused(state, holder(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new StateLock(file, channel, lock);
        } catch (IOException e) {
            forget(file, channel);
            throw new UncheckedIOException("cannot lock " + file, e);
        } catch (RuntimeException e) {
            forget(file, channel);
            throw e;
        }
    }

    private static IllegalStateException refused(Path state, String holder) {
        return new IllegalStateException("another ./nightjar command is starting or stopping the platform in " + state
                + (holder.isEmpty() ? "" : " (" + holder + ")") + "; run this one when it has finished");
    }

    /** After a failed take: no lock is held through this file, so closing it gives up nothing another take holds. */
    private static void forget(Path file, FileChannel channel) {
        HELD.remove(file);
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the take has failed already; its exception is the one to report
            }
        }
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer text = ByteBuffer.allocate(512);
        channel.read(text, 0);
        return new String(text.array(), 0, text.position(), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release " + file, e);
        } finally {
            HELD.remove(file);
        }
    }
}
