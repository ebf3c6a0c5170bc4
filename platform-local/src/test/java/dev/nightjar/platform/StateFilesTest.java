package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

    @TempDir
    Path dir;

    @Test
    void theFileIsOwnerOnlyHoldsExactlyTheContentAndLeavesNothingBeside() throws Exception {
        Path file = dir.resolve("state").resolve("secrets.properties");

        StateFiles.write(file, "a=1\n");
        StateFiles.write(file, "b=2\n");

        assertThat(Files.readString(file)).isEqualTo("b=2\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var left = Files.list(file.getParent())) {
            assertThat(left).containsExactly(file);
        }
    }

    @Test
    void aReaderSeesTheOldFileOrTheNewOneNeverAPart() throws Exception {
        Path file = dir.resolve("big.txt");
        String old = "o".repeat(1 << 20);
        String replacement = "n".repeat(1 << 20);
        StateFiles.write(file, old);

        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 40; i++) {
                StateFiles.write(file, i % 2 == 0 ? replacement : old);
            }
        });
        List<Integer> partial = new ArrayList<>();
        int reads = 0;
        while (!writer.isDone() || reads == 0) {
            String read = Files.readString(file);
            reads++;
            if (!read.equals(old) && !read.equals(replacement)) {
                partial.add(read.length());
            }
        }
        writer.join();

        assertThat(partial).as("reads that found a part of a file, by length, of %d reads", reads).isEmpty();
    }

    @Test
    void aWriteThatCannotTakeThePlaceOfTheTargetLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("taken");
        Files.createDirectories(target.resolve("inside"));

        assertThatThrownBy(() -> StateFiles.write(target, "x")).isInstanceOf(UncheckedIOException.class);

        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(target);
        }
        assertThat(target.resolve("inside")).isDirectory();
    }
}
