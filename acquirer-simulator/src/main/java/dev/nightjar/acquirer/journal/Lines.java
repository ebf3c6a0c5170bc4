package dev.nightjar.acquirer.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import tools.jackson.databind.ObjectWriter;

/**
 * The journal's line format: one JSON value, a tab, its CRC-32C as eight hex digits, a newline. JSON puts no
 * raw tab or newline in a value, so a line is everything up to a newline, and a line cut short by a kill,
 * or damaged on disk, fails its checksum instead of being read as something else.
 */
final class Lines {

    /** Bound on one line: a 200,000-line settlement batch with its report takes about 40 MB. */
    static final int MAX_LINE_BYTES = 128 << 20;

    private static final int SUFFIX_BYTES = 10;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Lines() {
    }

    /** Writes lines to a stream, computing each line's checksum as its JSON streams through. */
    static final class Writer {

        private final Checksummed json = new Checksummed();
        private final byte[] suffix = new byte[SUFFIX_BYTES];

        /** Writes {@code value} as one line; returns its length in bytes. */
        long write(OutputStream out, ObjectWriter writer, Object value) throws IOException {
            json.start(out);
            writer.writeValue(json, value);
            if (json.count > MAX_LINE_BYTES) {
                throw new IOException("a journal line of " + json.count + " bytes is over the bound of " + MAX_LINE_BYTES);
            }
            long crc = json.crc.getValue();
            suffix[0] = '\t';
            for (int i = 0; i < 8; i++) {
                suffix[1 + i] = HEX[(int) (crc >>> (28 - 4 * i)) & 0xf];
            }
            suffix[9] = '\n';
            out.write(suffix);
            return json.count + SUFFIX_BYTES;
        }
    }

    /** Passes bytes on while it sums them; a value's writer may flush or close it without reaching the file. */
    private static final class Checksummed extends OutputStream {

        private final CRC32C crc = new CRC32C();
        private OutputStream target;
        private long count;

        void start(OutputStream out) {
            target = out;
            crc.reset();
            count = 0;
        }

        @Override
        public void write(int b) throws IOException {
            crc.update(b);
            target.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            crc.update(bytes, offset, length);
            target.write(bytes, offset, length);
            count += length;
        }

        @Override
        public void flush() {
            // the journal decides when bytes go to the file: once per append
        }

        @Override
        public void close() {
            // the stream belongs to the journal
        }
    }

    /** Reads a file line by line, telling a line whose checksum holds from a torn or damaged one. */
    static final class Reader {

        private final InputStream in;
        private final byte[] chunk = new byte[1 << 16];
        private int chunkPosition;
        private int chunkLength;
        private byte[] line = new byte[1 << 12];
        private int lineLength;
        private boolean overlong;
        private boolean terminated;
        private long lineStart;
        private long offset;

        Reader(InputStream in) {
            this.in = in;
        }

        /** Moves to the next line; false at the end of the file. */
        boolean next() throws IOException {
            lineStart = offset;
            lineLength = 0;
            overlong = false;
            terminated = false;
            boolean any = false;
            while (true) {
                if (chunkPosition == chunkLength) {
                    chunkLength = Math.max(0, in.read(chunk));
                    chunkPosition = 0;
                    if (chunkLength == 0) {
                        return any;
                    }
                }
                any = true;
                int end = chunkPosition;
                while (end < chunkLength && chunk[end] != '\n') {
                    end++;
                }
                keep(end - chunkPosition);
                offset += end - chunkPosition;
                chunkPosition = end;
                if (end < chunkLength) {
                    chunkPosition++;
                    offset++;
                    terminated = true;
                    return true;
                }
            }
        }

        private void keep(int length) {
            if (overlong || lineLength + (long) length > MAX_LINE_BYTES + SUFFIX_BYTES) {
                overlong = true;
                return;
            }
            if (lineLength + length > line.length) {
                line = Arrays.copyOf(line, Math.max(lineLength + length, Math.min(2 * line.length, MAX_LINE_BYTES + SUFFIX_BYTES)));
            }
            System.arraycopy(chunk, chunkPosition, line, lineLength, length);
            lineLength += length;
        }

        /** Where the current line starts in the file. */
        long lineStart() {
            return lineStart;
        }

        /** Where the current line ends in the file, its newline included. */
        long lineEnd() {
            return offset;
        }

        /** The current line's bytes; its JSON is the first {@link #jsonLength()} of them. */
        byte[] bytes() {
            return line;
        }

        /** The length of the current line's JSON when the line is whole and its checksum holds, else -1. */
        int jsonLength() {
            if (!terminated || overlong || lineLength < SUFFIX_BYTES || line[lineLength - 9] != '\t') {
                return -1;
            }
            long expected = 0;
            for (int i = lineLength - 8; i < lineLength; i++) {
                int digit = Character.digit(line[i], 16);
                if (digit < 0) {
                    return -1;
                }
                expected = expected << 4 | digit;
            }
            CRC32C crc = new CRC32C();
            crc.update(line, 0, lineLength - 9);
            return crc.getValue() == expected ? lineLength - 9 : -1;
        }
    }
}
