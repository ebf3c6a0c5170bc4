package dev.nightjar.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Looks for card numbers where none may be: in text (logs, records, rows) and in the bytes of files on disk. */
final class CardNumberScan {

    private static final int CHUNK_BYTES = 1 << 20;

    private CardNumberScan() {
    }

    /** The forms a card number could take in text: plain, and grouped with spaces or dashes. */
    static List<String> forms(String card) {
        List<String> forms = new ArrayList<>(List.of(card));
        String spaced = card.length() == 16
                ? card.substring(0, 4) + " " + card.substring(4, 8) + " " + card.substring(8, 12) + " " + card.substring(12)
                : card.substring(0, 4) + " " + card.substring(4, 10) + " " + card.substring(10);
        forms.add(spaced);
        forms.add(spaced.replace(' ', '-'));
        return forms;
    }

    /** Where any form of any of {@code cards} appears in {@code text}, described with {@code where}. */
    static List<String> leaks(String where, String text, List<String> cards) {
        List<String> found = new ArrayList<>();
        for (String card : cards) {
            for (String form : forms(card)) {
                if (text.contains(form)) {
                    found.add(where + " holds " + form);
                }
            }
        }
        return found;
    }

    /** What a scan of a directory found, and how much it read (so a test can tell it read anything at all). */
    record FileScan(List<String> leaks, long files, long bytes) {
    }

    /** Every file under {@code root}, byte for byte, for every form of every card number (see {@link #find}). */
    static FileScan files(Path root, List<String> cards) {
        return find(root, cards.stream().flatMap(card -> forms(card).stream()).toList());
    }

    /**
     * Every file under {@code root}, byte for byte: database files and write-ahead log, Kafka segments, logs.
     * Each text is looked for as ASCII (what UTF-8 text, JSON and PostgreSQL's text columns hold) and as UTF-16.
     */
    static FileScan find(Path root, List<String> texts) {
        List<String> needles = new ArrayList<>();
        for (String text : texts) {
            needles.add(text);
            needles.add(reencode(text, StandardCharsets.UTF_16LE));
            needles.add(reencode(text, StandardCharsets.UTF_16BE));
        }
        int overlap = needles.stream().mapToInt(String::length).max().orElse(0);
        List<String> found = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).filter(CardNumberScan::mayHoldData).toList()) {
                files++;
                bytes += scan(file, needles, overlap, root, found);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FileScan(List.copyOf(new java.util.LinkedHashSet<>(found)), files, bytes);
    }

    /**
     * Every file but Kafka's offset and time indexes: those map offsets and timestamps to positions in a segment
     * and hold no record, and Kafka allocates them sparse at 10 MiB each, several gigabytes of zeros for a fleet.
     */
    private static boolean mayHoldData(Path file) {
        String name = file.getFileName().toString();
        return !name.endsWith(".index") && !name.endsWith(".timeindex");
    }

    /** Reads the file in chunks that overlap by the longest needle, so nothing straddling two chunks is missed. */
    private static long scan(Path file, List<String> needles, int overlap, Path root, List<String> found) {
        long read = 0;
        try (InputStream in = Files.newInputStream(file)) {
            String carried = "";
            byte[] buffer = new byte[CHUNK_BYTES];
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                read += n;
                // ISO-8859-1 maps every byte to one char, so String.indexOf searches the raw bytes
                String window = carried + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                for (String needle : needles) {
                    if (window.contains(needle)) {
                        found.add(root.relativize(file) + " holds " + printable(needle));
                    }
                }
                carried = window.substring(Math.max(0, window.length() - overlap));
            }
        } catch (IOException e) {
            // a file that went away while the fleet runs (a rotated log, a finished WAL segment) holds nothing any more
            if (Files.exists(file)) {
                throw new UncheckedIOException(e);
            }
        }
        return read;
    }

    private static String reencode(String ascii, Charset charset) {
        return new String(ascii.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static String printable(String needle) {
        return needle.indexOf('\0') >= 0 ? needle.replace("\0", "") + " (UTF-16)" : needle;
    }
}
