package dev.nightjar.acquirer.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.acquirer.Parallel;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileJournalTest {

    /** What the tests journal: a key set to a value. */
    record Entry(String key, long value) {
    }

    /**
     * An owner as the network is one: a bounded map changed only by applying entries, each appended first,
     * under its own lock, and answered once synced.
     */
    private static final class Owner implements AutoCloseable {

        final ReentrantLock lock = new ReentrantLock();
        final Map<String, Long> values;
        final List<Entry> applied = new ArrayList<>();
        final FileJournal<Entry> journal;

        Owner(Path dir, String name, long segmentBytes, int maxKeys, boolean fsync) {
            values = new LinkedHashMap<>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                    return size() > maxKeys;
                }
            };
            journal = FileJournal.open(dir, new FileJournal.Options(name, segmentBytes, fsync), Json.MAPPER, Entry.class,
                    this::apply, this::snapshot);
        }

        private void apply(Entry entry) {
            values.remove(entry.key());
            values.put(entry.key(), entry.value());
            applied.add(entry);
        }

        private Iterable<Entry> snapshot() {
            return values.entrySet().stream().map(e -> new Entry(e.getKey(), e.getValue())).toList();
        }

        void set(Entry... entries) {
            long sequence;
            lock.lock();
            try {
                sequence = journal.append(List.of(entries));
                for (Entry entry : entries) {
                    apply(entry);
                }
            } finally {
                lock.unlock();
            }
            journal.sync(sequence);
        }

        @Override
        public void close() {
            journal.close();
        }
    }

    @TempDir
    Path dir;

    private Owner open() {
        return open(1 << 20, 1_000_000);
    }

    /** Without fsync (about 9 ms each on the development VM): a process kill is what these tests simulate. */
    private Owner open(long segmentBytes, int maxKeys) {
        return new Owner(dir, "acquirer-test", segmentBytes, maxKeys, false);
    }

    private List<Path> files(String prefix) throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private Path lastSegment() throws IOException {
        List<Path> segments = files(FileJournal.SEGMENT);
        return segments.get(segments.size() - 1);
    }

    private static void awaitCompaction(Owner owner) {
        Await.until("the last compaction to finish", Duration.ofSeconds(30), () -> !owner.journal.compacting());
    }

    private static void appendBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes, StandardOpenOption.APPEND);
    }

    @Test
    void appendedEntriesAreReplayedInTheirOrderAfterReopening() {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
            owner.set(new Entry("b", 2), new Entry("a", 3));
            owner.set(new Entry("c", 4));
            assertThat(owner.journal.appended()).isEqualTo(3);
        }
        try (Owner reopened = open()) {
            assertThat(reopened.applied).containsExactly(new Entry("a", 1), new Entry("b", 2), new Entry("a", 3), new Entry("c", 4));
            assertThat(reopened.values).containsExactly(Map.entry("b", 2L), Map.entry("a", 3L), Map.entry("c", 4L));
            reopened.set(new Entry("d", 5));
        }
        try (Owner again = open()) {
            assertThat(again.applied).hasSize(5).last().isEqualTo(new Entry("d", 5));
        }
    }

    @Test
    void aLineCutShortByAKillIsDroppedAndTheNextAppendsFollowTheLastWholeLine() throws IOException {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
            owner.set(new Entry("b", 2));
        }
        long whole = Files.size(lastSegment());
        appendBytes(lastSegment(), "{\"key\":\"c\",\"val".getBytes(StandardCharsets.UTF_8));
        try (Owner reopened = open()) {
            assertThat(reopened.applied).containsExactly(new Entry("a", 1), new Entry("b", 2));
            assertThat(Files.size(lastSegment())).as("the torn bytes are cut off").isEqualTo(whole);
            reopened.set(new Entry("c", 3));
        }
        try (Owner again = open()) {
            assertThat(again.applied).containsExactly(new Entry("a", 1), new Entry("b", 2), new Entry("c", 3));
        }
    }

    @Test
    void aWholeLastLineWithAWrongChecksumIsDroppedToo() throws IOException {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
        }
        appendBytes(lastSegment(), "{\"key\":\"b\",\"value\":2}\t00000000\n".getBytes(StandardCharsets.UTF_8));
        try (Owner reopened = open()) {
            assertThat(reopened.applied).containsExactly(new Entry("a", 1));
        }
    }

    @Test
    void aDamagedLineBeforeTheEndStopsTheStartRatherThanForgetWhatFollows() throws IOException {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
            owner.set(new Entry("bbbbbbbb", 2));
            owner.set(new Entry("c", 3));
        }
        Path segment = lastSegment();
        String content = Files.readString(segment);
        Files.writeString(segment, content.replace("bbbbbbbb", "bbbbbbbx"));
        assertThatThrownBy(this::open).isInstanceOf(JournalException.class).hasMessageContaining("damaged at offset");
    }

    @Test
    void aRequestStillFinishingWhenTheJournalClosesFindsItsAppendSyncedAndLaterAppendsAreRefused() {
        Owner owner = new Owner(dir, "acquirer-test", 1 << 20, 100, true);
        long sequence = owner.journal.append(List.of(new Entry("a", 1)));
        owner.close();
        owner.journal.sync(sequence);
        assertThatThrownBy(() -> owner.journal.append(List.of(new Entry("b", 2)))).isInstanceOf(JournalException.class);
        try (Owner reopened = open()) {
            assertThat(reopened.applied).containsExactly(new Entry("a", 1));
        }
    }

    @Test
    void anotherAcquirersJournalIsRefused() {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
        }
        assertThatThrownBy(() -> new Owner(dir, "acquirer-other", 1 << 20, 100, false)).isInstanceOf(JournalException.class)
                .hasMessageContaining("acquirer-other");
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefusedWhileTheFirstIsOpen() {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
            assertThatThrownBy(this::open).isInstanceOf(JournalException.class).hasMessageContaining("another");
        }
    }

    @Test
    void compactionReplacesTheSegmentsWithASnapshotOfTheStateAndTheReplayIsTheSame() throws IOException {
        Map<String, Long> expected;
        try (Owner owner = open(4096, 1_000_000)) {
            for (int i = 0; i < 2_000; i++) {
                owner.set(new Entry("key-" + (i % 50), i));
            }
            awaitCompaction(owner);
            // appends go on while a snapshot is written; the first append after it moves past a segment grown too large
            owner.set(new Entry("key-0", -1));
            awaitCompaction(owner);
            expected = new LinkedHashMap<>(owner.values);
            assertThat(files(FileJournal.SNAPSHOT)).as("one snapshot: the older ones are deleted").hasSize(1);
            assertThat(files(FileJournal.SEGMENT)).as("the snapshot's segment, and at most the one after it").hasSizeBetween(1, 2);
        }
        try (Owner reopened = open(4096, 1_000_000)) {
            assertThat(reopened.values).containsExactlyEntriesOf(expected);
            assertThat(reopened.applied).as("the snapshot and a segment at most, not 2,000 entries").hasSizeLessThan(500);
        }
    }

    @Test
    void theJournalStaysBoundedAsTheStateIsBounded() throws IOException {
        try (Owner owner = open(8192, 100)) {
            for (int i = 0; i < 20_000; i++) {
                owner.set(new Entry("key-" + i, i));
            }
            awaitCompaction(owner);
            assertThat(files(FileJournal.SNAPSHOT)).hasSize(1);
            assertThat(files(FileJournal.SEGMENT)).hasSizeBetween(1, 2).allSatisfy(segment -> assertThat(Files.size(segment))
                    .as("20,000 entries of about 40 bytes would be 800 KB").isLessThan(FileJournal.MAX_SEGMENT_GROWTH * 8192 + 100));
            // 100 live keys: about 4 KB
            assertThat(Files.size(files(FileJournal.SNAPSHOT).get(0))).isLessThan(8192);
        }
        try (Owner reopened = open(8192, 100)) {
            assertThat(reopened.values).hasSize(100).containsEntry("key-19999", 19_999L).doesNotContainKey("key-19899");
        }
    }

    @Test
    void anUnfinishedSnapshotIsIgnoredAndTheSegmentsBeforeItReplayed() throws IOException {
        try (Owner owner = open()) {
            owner.set(new Entry("a", 1));
        }
        Files.writeString(dir.resolve(FileJournal.name(FileJournal.SNAPSHOT, 2) + ".tmp"), "{\"format\":1,\"own");
        try (Owner reopened = open()) {
            assertThat(reopened.applied).containsExactly(new Entry("a", 1));
        }
        assertThat(files(FileJournal.SNAPSHOT)).isEmpty();
    }

    @Test
    void aMissingSegmentStopsTheStart() throws IOException {
        try (Owner owner = open(4096, 1_000_000)) {
            for (int i = 0; i < 500; i++) {
                owner.set(new Entry("key-" + i, i));
            }
            awaitCompaction(owner);
        }
        Files.delete(lastSegment());
        assertThatThrownBy(() -> open(4096, 1_000_000)).isInstanceOf(JournalException.class).hasMessageContaining("misses segment");
    }

    @Test
    void concurrentAppendsReplayInTheOrderTheOwnerAppliedThemAndShareTheirFsyncs() throws Exception {
        int threads = 8;
        int perThread = 50;
        List<Entry> applied;
        try (Owner owner = new Owner(dir, "acquirer-test", 1 << 20, 1_000_000, true)) {
            Parallel.run(threads, thread -> {
                for (int i = 0; i < perThread; i++) {
                    owner.set(new Entry("t" + thread + "-" + i, i));
                }
            });
            applied = List.copyOf(owner.applied);
            assertThat(owner.journal.appended()).isEqualTo(threads * perThread);
            assertThat(owner.journal.syncs()).as("callers waiting together share one fsync").isLessThan(threads * perThread);
        }
        try (Owner reopened = open()) {
            assertThat(reopened.applied).isEqualTo(applied);
        }
    }

    @Test
    void concurrentAppendsThroughCompactionsRebuildTheSameState() throws Exception {
        Map<String, Long> expected;
        try (Owner owner = open(16_384, 1_000_000)) {
            Parallel.run(4, thread -> {
                for (int i = 0; i < 1_000; i++) {
                    owner.set(new Entry("t" + thread + "-" + (i % 40), i));
                }
            });
            awaitCompaction(owner);
            assertThat(files(FileJournal.SNAPSHOT)).as("it compacted").isNotEmpty();
            expected = new LinkedHashMap<>(owner.values);
        }
        try (Owner reopened = open(16_384, 1_000_000)) {
            assertThat(reopened.values).containsExactlyEntriesOf(expected);
        }
    }
}
