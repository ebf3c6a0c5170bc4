package dev.nightjar.acquirer.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * A journal in a directory of its own. Entries go to the current segment file as checksummed JSON lines
 * ({@link Lines}) and are written to the file before {@link #append} returns, so a killed process loses
 * nothing it answered; {@link #sync} makes them survive a machine crash too, with one fsync for every caller
 * waiting at that moment (group commit). When a segment grows past its bound, appends move on to a new
 * segment and a snapshot of the owner's state at that instant is written in the background; once it is on
 * disk, the files before it are deleted, so the directory holds one snapshot and one or two segments, each
 * at most {@value #MAX_SEGMENT_GROWTH} times its bound (appends wait for a snapshot that is slower than that).
 *
 * <p>Files: {@code snapshot-<generation>.ndjson} is the state before {@code journal-<generation>.ndjson}.
 * Opening replays the newest snapshot and every segment from its generation on. A torn last line of the last
 * segment (the process died in the middle of a write, which nobody was answered for) is cut off with a
 * warning; damage anywhere else stops the start, since carrying on would forget what was answered.
 */
public final class FileJournal<E> implements Journal<E> {

    /**
     * @param owner         what the journal belongs to (acquirer-a); opening another's journal fails
     * @param segmentBytes  how large a segment grows before it is compacted (or the last snapshot's size, if larger)
     * @param fsync         sync to the disk (machine crashes) rather than only to the operating system (process kills)
     */
    public record Options(String owner, long segmentBytes, boolean fsync) {

        public Options {
            if (owner == null || owner.isBlank()) {
                throw new IllegalArgumentException("a journal needs an owner");
            }
            if (segmentBytes < 4096) {
                throw new IllegalArgumentException("a journal segment is at least 4096 bytes, not " + segmentBytes);
            }
        }
    }

    /** The first line of every file: what it is, whose, and of which generation. */
    record Header(int format, String owner, String contents, long generation) {
    }

    static final int FORMAT = 1;
    static final String SEGMENT = "journal";
    static final String SNAPSHOT = "snapshot";
    /** The exit status when the disk can no longer be trusted with what was answered (like PostgreSQL's PANIC). */
    static final int LOST_DURABILITY_EXIT_STATUS = 70;

    private static final Logger log = LoggerFactory.getLogger(FileJournal.class);
    private static final Pattern FILE = Pattern.compile("(journal|snapshot)-(\\d{12})\\.ndjson");
    private static final int WRITE_BUFFER_BYTES = 1 << 16;
    /** While a snapshot is written the segment may grow to this many times its bound; then appends wait for it. */
    static final int MAX_SEGMENT_GROWTH = 4;

    private final Path dir;
    private final Options options;
    private final ObjectWriter entryWriter;
    private final ObjectReader entryReader;
    private final ObjectWriter headerWriter;
    private final ObjectReader headerReader;
    private final Supplier<? extends Iterable<? extends E>> snapshotSource;
    private final FileChannel lockFile;
    private final ExecutorService compactor;
    private final Lines.Writer lines = new Lines.Writer();
    /** Held to write; the segment is swapped holding {@link #syncLock} too (appendLock first), with no fsync running. */
    private final ReentrantLock appendLock = new ReentrantLock();
    /** Guards who syncs next ({@link #syncing}, {@link #syncDone}); never held during an fsync. */
    private final ReentrantLock syncLock = new ReentrantLock();
    private boolean syncing;
    /** Completed when the fsync running now ends: its followers all wake at once, not one after another. */
    private CompletableFuture<Void> syncDone = new CompletableFuture<>();

    private FileChannel segment;
    private OutputStream out;
    private long generation;
    private long segmentBytes;
    /** A failed rotation waits until the segment has grown this much more. */
    private long rotateNoSoonerThanBytes;
    private boolean closed;
    private volatile long appended;
    private volatile long synced;
    private volatile boolean compacting;
    private Future<?> compaction = CompletableFuture.completedFuture(null);
    private volatile long snapshotBytes;
    /** fsyncs made for {@link #sync}: fewer than the appends synced when callers share them. */
    private volatile long syncs;

    private FileJournal(Path dir, Options options, JsonMapper mapper, Class<E> type,
                        Supplier<? extends Iterable<? extends E>> snapshotSource, FileChannel lockFile) {
        this.dir = dir;
        this.options = options;
        this.entryWriter = mapper.writerFor(type);
        this.entryReader = mapper.readerFor(type);
        this.headerWriter = mapper.writerFor(Header.class);
        this.headerReader = mapper.readerFor(Header.class);
        this.snapshotSource = snapshotSource;
        this.lockFile = lockFile;
        this.compactor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "journal-compaction-" + options.owner());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the journal in {@code dir} (made when missing), hands every entry it holds to {@code replay} in
     * order, and makes it ready to append.
     *
     * @param snapshot the owner's state as entries, asked for under the owner's lock when a segment is compacted:
     *                 it must be a copy, since it is written out while the state goes on changing
     */
    public static <E> FileJournal<E> open(Path dir, Options options, JsonMapper mapper, Class<E> type,
                                          Consumer<? super E> replay, Supplier<? extends Iterable<? extends E>> snapshot) {
        FileChannel lockFile = null;
        try {
            Files.createDirectories(dir);
            lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(lockFile);
            if (lock == null) {
                throw new JournalException("another process uses the journal in " + dir);
            }
            FileJournal<E> journal = new FileJournal<>(dir, options, mapper, type, snapshot, lockFile);
            journal.recover(replay);
            return journal;
        } catch (IOException e) {
            closeQuietly(lockFile);
            throw new JournalException("could not open the journal in " + dir, e);
        } catch (RuntimeException e) {
            closeQuietly(lockFile);
            throw e;
        }
    }

    /** The directory's lock, or null when another process (or another journal in this one) holds it. */
    private static FileLock tryLock(FileChannel lockFile) throws IOException {
        try {
            return lockFile.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private void recover(Consumer<? super E> replay) throws IOException {
        long started = System.nanoTime();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path tmp : listing.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                // a snapshot or segment not finished when the process stopped: never used
                Files.delete(tmp);
            }
        }
        SortedMap<Long, Path> segments = files(SEGMENT);
        SortedMap<Long, Path> snapshots = files(SNAPSHOT);
        long first = snapshots.isEmpty() ? 1 : snapshots.lastKey();
        if (segments.isEmpty() && snapshots.isEmpty()) {
            generation = 1;
            segment = createSegment(generation);
            segmentBytes = segment.size();
            out = buffered(segment);
            log.info("journal {}: new, in {}", options.owner(), dir);
            return;
        }
        long last = segments.isEmpty() ? first : Math.max(first, segments.lastKey());
        for (long g = first; g <= last; g++) {
            if (!segments.containsKey(g)) {
                throw new JournalException("journal in " + dir + " misses segment " + name(SEGMENT, g)
                        + " (it has " + segments.values() + " and snapshots " + snapshots.values() + ")");
            }
        }
        long entries = 0;
        if (!snapshots.isEmpty()) {
            Path snapshot = snapshots.get(first);
            entries += replayFile(snapshot, SNAPSHOT, first, false, replay);
            snapshotBytes = Files.size(snapshot);
        }
        long validEnd = 0;
        for (long g = first; g <= last; g++) {
            Path file = segments.get(g);
            long[] counted = new long[1];
            validEnd = replayFile(file, SEGMENT, g, g == last, entry -> {
                counted[0]++;
                replay.accept(entry);
            });
            entries += counted[0];
        }
        deleteBefore(first);
        generation = last;
        segment = FileChannel.open(segments.get(last), StandardOpenOption.WRITE);
        if (segment.size() > validEnd) {
            segment.truncate(validEnd);
            segment.force(false);
        }
        segment.position(validEnd);
        segmentBytes = validEnd;
        out = buffered(segment);
        log.info("journal {}: replayed {} entries from {} in {} ms", options.owner(), entries, dir,
                (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Replays the entries of one file; returns where its last whole line ends. A line that fails its checksum
     * may only be the last of the last segment (torn by a kill): it is left out, and cut off by the caller.
     */
    private long replayFile(Path file, String contents, long fileGeneration, boolean mayBeTorn,
                            Consumer<? super E> replay) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Lines.Reader reader = new Lines.Reader(in);
            if (!reader.next() || reader.jsonLength() < 0) {
                throw new JournalException(file + " has no valid header line");
            }
            Header header = read(reader, file, headerReader);
            if (header.format() != FORMAT || !options.owner().equals(header.owner()) || !contents.equals(header.contents())
                    || header.generation() != fileGeneration) {
                throw new JournalException(file + " is " + header + ", not a " + contents + " of generation " + fileGeneration
                        + " of " + options.owner() + " in format " + FORMAT);
            }
            long validEnd = reader.lineEnd();
            long tornAt = -1;
            while (reader.next()) {
                if (tornAt >= 0) {
                    throw damaged(file, tornAt);
                }
                if (reader.jsonLength() < 0) {
                    tornAt = reader.lineStart();
                    continue;
                }
                replay.accept(read(reader, file, entryReader));
                validEnd = reader.lineEnd();
            }
            if (tornAt >= 0) {
                if (!mayBeTorn) {
                    throw damaged(file, tornAt);
                }
                log.warn("journal {}: cut off a torn last line of {} bytes at offset {} of {} (a write the process did not "
                        + "finish, so nobody was answered for it)", options.owner(), reader.lineEnd() - tornAt, tornAt, file);
            }
            return validEnd;
        }
    }

    private static <T> T read(Lines.Reader reader, Path file, ObjectReader as) {
        try {
            return as.readValue(reader.bytes(), 0, reader.jsonLength());
        } catch (JacksonException e) {
            // the checksum held, so these are the bytes that were written: a format this code does not read
            throw new JournalException("unreadable entry at offset " + reader.lineStart() + " of " + file, e);
        }
    }

    private JournalException damaged(Path file, long offset) {
        return new JournalException(file + " is damaged at offset " + offset + ", before its end: the journal cannot be "
                + "replayed past it. Move the directory away to start with no records.");
    }

    @Override
    public long append(List<? extends E> entries) {
        appendLock.lock();
        try {
            if (closed) {
                throw new JournalException("the journal of " + options.owner() + " is closed");
            }
            if (entries.isEmpty()) {
                return appended;
            }
            if (compacting && segmentBytes >= MAX_SEGMENT_GROWTH * rotationBytes()) {
                awaitCompaction();
            }
            if (compactionDue()) {
                // here, before this append: the owner's state holds exactly what was appended so far
                rotate();
            }
            long start = segmentBytes;
            long written = 0;
            try {
                for (E entry : entries) {
                    written += lines.write(out, entryWriter, entry);
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                undo(start, e);
                throw new JournalException("could not write to " + name(SEGMENT, generation) + "; nothing was appended", e);
            }
            segmentBytes = start + written;
            appended = appended + 1;
            return appended;
        } finally {
            appendLock.unlock();
        }
    }

    /** Cuts a failed append's bytes off the segment, so the next append does not follow half a line. */
    private void undo(long start, Exception cause) {
        try {
            out = buffered(segment);
            segment.truncate(start);
            segment.position(start);
        } catch (IOException e) {
            e.addSuppressed(cause);
            throw lostDurability("could not cut a failed append off " + name(SEGMENT, generation), e);
        }
    }

    @Override
    public long appended() {
        return appended;
    }

    /**
     * Group commit: the first caller to find no fsync running becomes the leader and syncs everything appended
     * so far; callers arriving meanwhile wait for it to end, then the first of them leads the next fsync,
     * which covers them all.
     */
    @Override
    public void sync(long sequence) {
        if (!options.fsync()) {
            return;
        }
        while (synced < sequence) {
            CompletableFuture<Void> running = null;
            FileChannel leading = null;
            long upTo = 0;
            syncLock.lock();
            try {
                if (synced >= sequence) {
                    return;
                }
                if (syncing) {
                    running = syncDone;
                } else {
                    syncing = true;
                    leading = segment;
                    upTo = appended;
                }
            } finally {
                syncLock.unlock();
            }
            if (running != null) {
                running.join();
            } else {
                lead(leading, upTo);
            }
        }
    }

    private void lead(FileChannel leading, long upTo) {
        try {
            leading.force(false);
        } catch (IOException e) {
            throw lostDurability("could not sync " + name(SEGMENT, generation), e);
        }
        CompletableFuture<Void> done;
        syncLock.lock();
        try {
            synced = Math.max(synced, upTo);
            syncs = syncs + 1;
            syncing = false;
            done = syncDone;
            syncDone = new CompletableFuture<>();
        } finally {
            syncLock.unlock();
        }
        done.complete(null);
    }

    /** Takes {@link #syncLock} once no fsync runs, so the segment can be swapped or closed; no new one starts until unlocked. */
    private void lockSyncsOut() {
        syncLock.lock();
        while (syncing) {
            CompletableFuture<Void> running = syncDone;
            syncLock.unlock();
            running.join();
            syncLock.lock();
        }
    }

    private boolean compactionDue() {
        return !compacting && segmentBytes >= Math.max(rotateNoSoonerThanBytes, rotationBytes());
    }

    /** A segment this large is compacted: the configured size, or the last snapshot's if larger (else it would compact at every rotation). */
    private long rotationBytes() {
        return Math.max(options.segmentBytes(), snapshotBytes);
    }

    /** Holds appends back (the owner's lock included) until the snapshot being written is done: the journal's bound. */
    private void awaitCompaction() {
        try {
            compaction.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JournalException("interrupted waiting for a snapshot; nothing was appended", e);
        } catch (ExecutionException e) {
            // writeSnapshot handles its own failures; the next rotation tries again
            log.warn("journal {}: snapshot failed", options.owner(), e);
        }
    }

    /** Moves appends to a new segment and has the state as it stands written as that segment's snapshot. */
    private void rotate() {
        Iterable<? extends E> snapshot = snapshotSource.get();
        long next = generation + 1;
        FileChannel nextSegment;
        long nextSegmentBytes;
        try {
            nextSegment = createSegment(next);
            nextSegmentBytes = nextSegment.position();
        } catch (IOException e) {
            log.error("journal {}: could not start segment {}; appending to {} until it grows by {} bytes more",
                    options.owner(), next, name(SEGMENT, generation), options.segmentBytes(), e);
            rotateNoSoonerThanBytes = segmentBytes + options.segmentBytes();
            return;
        }
        lockSyncsOut();
        try {
            try {
                // the new segment's entries must never be on disk while the old one's are not
                segment.force(false);
                segment.close();
            } catch (IOException e) {
                throw lostDurability("could not sync " + name(SEGMENT, generation) + " before leaving it", e);
            }
            synced = appended;
            segment = nextSegment;
            out = buffered(segment);
            generation = next;
            segmentBytes = nextSegmentBytes;
            rotateNoSoonerThanBytes = 0;
        } finally {
            syncLock.unlock();
        }
        compacting = true;
        compaction = compactor.submit(() -> writeSnapshot(next, snapshot));
    }

    private void writeSnapshot(long snapshotGeneration, Iterable<? extends E> entries) {
        long started = System.nanoTime();
        Path tmp = dir.resolve(name(SNAPSHOT, snapshotGeneration) + ".tmp");
        try {
            long count = 0;
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
                Lines.Writer writer = new Lines.Writer();
                writer.write(file, headerWriter, new Header(FORMAT, options.owner(), SNAPSHOT, snapshotGeneration));
                for (E entry : entries) {
                    writer.write(file, entryWriter, entry);
                    count++;
                }
                file.flush();
                // always to the disk: the files it replaces are deleted next
                channel.force(false);
            }
            Path snapshot = dir.resolve(name(SNAPSHOT, snapshotGeneration));
            Files.move(tmp, snapshot, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
            deleteBefore(snapshotGeneration);
            snapshotBytes = Files.size(snapshot);
            log.info("journal {}: compacted into {} ({} entries, {} bytes) in {} ms", options.owner(), snapshot.getFileName(),
                    count, snapshotBytes, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException | RuntimeException e) {
            // the older snapshot and every segment since are still there: nothing is lost, the next rotation tries again
            log.error("journal {}: could not write snapshot {}", options.owner(), snapshotGeneration, e);
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // removed at the next start
            }
        } finally {
            compacting = false;
        }
    }

    /** Deletes the snapshots and segments a snapshot of {@code generation} makes unnecessary. */
    private void deleteBefore(long keptGeneration) throws IOException {
        boolean deleted = false;
        for (String contents : List.of(SNAPSHOT, SEGMENT)) {
            for (Path file : files(contents).headMap(keptGeneration).values()) {
                Files.delete(file);
                deleted = true;
            }
        }
        if (deleted) {
            forceDirectory();
        }
    }

    /** A new segment, whole or not at all: header written and synced under a temporary name, then renamed. */
    private FileChannel createSegment(long segmentGeneration) throws IOException {
        Path file = dir.resolve(name(SEGMENT, segmentGeneration));
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            OutputStream header = buffered(channel);
            lines.write(header, headerWriter, new Header(FORMAT, options.owner(), SEGMENT, segmentGeneration));
            header.flush();
            channel.force(false);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            forceDirectory();
            return channel;
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private SortedMap<Long, Path> files(String contents) throws IOException {
        SortedMap<Long, Path> found = new TreeMap<>();
        try (Stream<Path> listing = Files.list(dir)) {
            listing.forEach(path -> {
                Matcher matcher = FILE.matcher(path.getFileName().toString());
                if (matcher.matches() && matcher.group(1).equals(contents)) {
                    found.put(Long.parseLong(matcher.group(2)), path);
                }
            });
        }
        return found;
    }

    static String name(String contents, long fileGeneration) {
        return String.format("%s-%012d.ndjson", contents, fileGeneration);
    }

    private void forceDirectory() throws IOException {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static OutputStream buffered(FileChannel channel) {
        return new BufferedOutputStream(Channels.newOutputStream(channel), WRITE_BUFFER_BYTES);
    }

    /** How many fsyncs {@link #sync} made (tests check that concurrent callers share them). */
    long syncs() {
        return syncs;
    }

    /** Whether a snapshot is being written (tests wait for it). */
    boolean compacting() {
        return compacting;
    }

    @Override
    public void close() {
        compactor.shutdown();
        try {
            if (!compactor.awaitTermination(60, TimeUnit.SECONDS)) {
                // an unfinished snapshot is a .tmp file, deleted at the next start
                compactor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        appendLock.lock();
        lockSyncsOut();
        try {
            if (closed) {
                return;
            }
            closed = true;
            segment.force(false);
            // a request still finishing finds its append synced, rather than an fsync of a closed file
            synced = appended;
            segment.close();
        } catch (IOException e) {
            log.error("journal {}: could not close {}", options.owner(), name(SEGMENT, generation), e);
        } finally {
            syncLock.unlock();
            appendLock.unlock();
            closeQuietly(lockFile);
        }
    }

    /**
     * The disk failed to write or sync what was appended: whether it holds it is unknown, and the answers
     * already given may depend on it. Carrying on (or answering an error, which callers read as "nothing was
     * done") could charge a card twice; stopping at once leaves every caller waiting on an answer that never
     * comes, which they resolve by asking again after the restart, when the replayed journal says what is true.
     */
    private JournalException lostDurability(String what, IOException e) {
        log.error("journal {}: {}; stopping the process", options.owner(), what, e);
        Runtime.getRuntime().halt(LOST_DURABILITY_EXIT_STATUS);
        return new JournalException(what, e);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing after a failure: the failure is what matters
            }
        }
    }
}
