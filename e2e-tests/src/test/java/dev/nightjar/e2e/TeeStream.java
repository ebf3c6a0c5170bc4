package dev.nightjar.e2e;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to a test's report and to its output at once: a long check shows its progress as it goes, and what it
 * waited for stays in the test's output when it passes as well as when it fails.
 */
final class TeeStream extends OutputStream {

    private final OutputStream first;
    private final OutputStream second;

    TeeStream(OutputStream first, OutputStream second) {
        this.first = first;
        this.second = second;
    }

    @Override
    public void write(int b) throws IOException {
        first.write(b);
        second.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        first.write(bytes, offset, length);
        second.write(bytes, offset, length);
    }
}
