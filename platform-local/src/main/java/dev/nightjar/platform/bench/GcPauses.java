package dev.nightjar.platform.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The services' stop-the-world pauses in a window, read from their GC logs ({@code logs/gc/<instance>.log}, which
 * the launcher has each service write with the wall-clock time of every pause). A pause stops every request the
 * service holds, so one long pause is a slice's p99 by itself: the bench names the longest in each slice and
 * lists every full collection, with its cause, beside the CPU figures.
 */
final class GcPauses {

    /**
     * {@code [2026-12-05T15:00:08.741+0000][357.825s] GC(274) Pause Full (Metadata GC Threshold) 86M->54M(132M) 1220.548ms}
     * from Serial and G1; ZGC's pauses (the simulators') come with its generation and no heap figures:
     * {@code [2026-12-06T08:41:08.579+0000][0.418s] GC(0) Y: Pause Mark End 0.006ms}.
     */
    private static final Pattern PAUSE = Pattern.compile(
            "^\\[([^]]+)]\\[[^]]*] GC\\(\\d+\\) (?:[YO]: )?(Pause .*?) (?:\\d+[KMG]->\\d+[KMG]\\(\\d+[KMG]\\) )?"
                    + "(\\d+(?:\\.\\d+)?)ms$");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");
    private static final String FULL = "Pause Full";
    private static final Pattern LOG_FILE = Pattern.compile("(.+)\\.log(\\.\\d+)?");

    /** One pause: which process, when it ended, what it was ({@code Pause Young (Allocation Failure)}), how long. */
    record Pause(String process, Instant at, String kind, double millis) {

        boolean full() {
            return kind.startsWith(FULL);
        }
    }

    /** One process's pauses in the window: how many, how long in all, the longest. */
    record ProcessPauses(String process, int count, double totalMillis, double longestMillis) {
    }

    /** The longest pause that ended in one slice of the window, seconds from the window's start. */
    record SliceLongest(double fromSecond, double toSecond, Pause pause) {
    }

    /**
     * A window's pauses: how many and how long in all, the longest, each process's, every full collection, and
     * the longest of each slice that had one.
     */
    record Window(int count, double totalMillis, Pause longest, List<ProcessPauses> processes, List<Pause> full,
                  List<SliceLongest> slices) {

        static final Window NONE = new Window(0, 0, null, List.of(), List.of(), List.of());

        /** The slice's longest pause, if one ended in it. */
        Optional<Pause> longestIn(double fromSecond) {
            return slices.stream().filter(slice -> Math.abs(slice.fromSecond() - fromSecond) < 1e-6).findFirst()
                    .map(SliceLongest::pause);
        }
    }

    private GcPauses() {
    }

    /**
     * Every pause that ended from {@code from} (inclusive) to {@code to} (exclusive), in every GC log of
     * {@code directory} (the current file and the ones it rotated to); none when the directory is missing.
     */
    static List<Pause> read(Path directory, Instant from, Instant to) {
        List<Pause> pauses = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + directory, e);
        }
        for (Path log : files) {
            Matcher name = LOG_FILE.matcher(log.getFileName().toString());
            if (!name.matches()) {
                continue; // not a GC log
            }
            try (Stream<String> lines = Files.lines(log)) {
                lines.map(line -> parse(name.group(1), line)).flatMap(Optional::stream)
                        .filter(pause -> !pause.at().isBefore(from) && pause.at().isBefore(to))
                        .forEach(pauses::add);
            } catch (NoSuchFileException e) {
                // rotated away between the listing and the read: its pauses are in the file it became
            } catch (IOException e) {
                throw new UncheckedIOException("could not read " + log, e);
            }
        }
        pauses.sort(Comparator.comparing(Pause::at));
        return pauses;
    }

    /** The pause on one line of {@code process}'s GC log, if the line is one. */
    static Optional<Pause> parse(String process, String line) {
        Matcher pause = PAUSE.matcher(line.strip());
        if (!pause.matches()) {
            return Optional.empty();
        }
        try {
            Instant at = OffsetDateTime.parse(pause.group(1), TIME).toInstant();
            return Optional.of(new Pause(process, at, pause.group(2), Double.parseDouble(pause.group(3))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /**
     * The window that began at {@code start}, cut in slices of {@code sliceSeconds} (the bench's slices of
     * intended send time): the pauses by process, the full collections, and each slice's longest.
     */
    static Window window(List<Pause> pauses, Instant start, double sliceSeconds) {
        if (pauses.isEmpty()) {
            return Window.NONE;
        }
        Map<String, List<Pause>> byProcess = new TreeMap<>();
        pauses.forEach(pause -> byProcess.computeIfAbsent(pause.process(), process -> new ArrayList<>()).add(pause));
        List<ProcessPauses> processes = byProcess.entrySet().stream()
                .map(process -> new ProcessPauses(process.getKey(), process.getValue().size(),
                        process.getValue().stream().mapToDouble(Pause::millis).sum(),
                        process.getValue().stream().mapToDouble(Pause::millis).max().orElse(0)))
                .toList();
        Map<Long, Pause> longestBySlice = new TreeMap<>();
        for (Pause pause : pauses) {
            long slice = (long) Math.floor((pause.at().toEpochMilli() - start.toEpochMilli()) / 1000.0 / sliceSeconds);
            longestBySlice.merge(Math.max(0, slice), pause, (a, b) -> b.millis() > a.millis() ? b : a);
        }
        List<SliceLongest> slices = longestBySlice.entrySet().stream()
                .map(slice -> new SliceLongest(slice.getKey() * sliceSeconds, (slice.getKey() + 1) * sliceSeconds,
                        slice.getValue()))
                .toList();
        return new Window(pauses.size(), pauses.stream().mapToDouble(Pause::millis).sum(),
                pauses.stream().max(Comparator.comparingDouble(Pause::millis)).orElseThrow(), processes,
                pauses.stream().filter(Pause::full).toList(), slices);
    }
}
