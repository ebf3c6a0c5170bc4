package dev.nightjar.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One command that starts or stops the platform's processes at a time on a state directory. A {@code down} that
 * is still stopping services (a service writing its AOT cache at exit takes a minute) and an {@code up} started
 * beside it each took the other's processes for their own: the {@code up} saw a service it had just started as
 * one that exited during its start. The lock is the operating system's ({@code fcntl}) on {@code launcher.lock} in
 * the state directory, so it goes with the process that held it, however that process ends; the file names the
 * holder (its pid and command) for the next command's message.
 */
public final class StateLock implements AutoCloseable {

    static final String FILE = "launcher.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code state} for {@code command}, or throws naming the command that holds it.
     *
     * @throws IllegalStateException when another command holds it, in this process or another
     */
    public static StateLock take(Path state, String command) {
        try {
            Files.createDirectories(state);
            FileChannel channel = FileChannel.open(state.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new IllegalStateException("another ./nightjar command is starting or stopping the platform in " + state
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; run this one when it has finished");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ": " + command + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new StateLock(channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + state.resolve(FILE), e);
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
            throw new UncheckedIOException("cannot release " + FILE, e);
        }
    }
}
