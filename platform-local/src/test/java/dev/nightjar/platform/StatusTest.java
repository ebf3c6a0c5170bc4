package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTest {

    @Test
    void aServiceThatLostItsDependenciesSaysWhichInStatus() {
        String health = """
                {"status":"DOWN","components":{"db":{"status":"DOWN"},"diskSpace":{"status":"UP"},
                 "kafka":{"status":"DOWN","details":{"error":"broker unreachable"}},"ping":{"status":"UP"}}}""";
        assertThat(Platform.downComponents(health, "HTTP 503")).isEqualTo("database, broker unreachable");
    }

    @Test
    void anAnswerWithoutComponentsFallsBackToTheHttpStatus() {
        assertThat(Platform.downComponents("<html>", "HTTP 503")).isEqualTo("HTTP 503");
        assertThat(Platform.downComponents("{\"status\":\"DOWN\"}", "HTTP 503")).isEqualTo("HTTP 503");
    }

    @Test
    void aServiceThatDoesNotComeUpShowsTheLastLinesOfItsLogCutShort(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("service.log");
        // 200 KiB of log: more than the tail reads
        String lines = IntStream.rangeClosed(1, 2_000).mapToObj(i -> "line " + i + " " + "x".repeat(100))
                .collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(log, lines + "y".repeat(800) + "\n");
        String tail = Platform.tail(log, 3);
        assertThat(tail.lines().toList()).hasSize(3);
        assertThat(tail).startsWith("line 1999 ").contains("line 2000 ").endsWith("y".repeat(500) + " ...");
        assertThat(Platform.tail(dir.resolve("missing.log"), 3)).isEqualTo("(no log)");
    }
}
