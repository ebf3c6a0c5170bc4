package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/** {@code ./nightjar bench-compare}: two files that {@code bench --json} writes, side by side. */
class BenchComparisonTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** A run as the bench writes it (the report of {@link OpenLoopReportTest}), as a tree to change. */
    private static ObjectNode run() {
        return (ObjectNode) Json.MAPPER.readTree(OpenLoopReportTest.report().json());
    }

    private static ObjectNode step(ObjectNode run) {
        return (ObjectNode) run.path("steps").get(0);
    }

    private Path write(String name, ObjectNode run) throws IOException {
        return Files.writeString(directory.resolve(name), run.toString());
    }

    private List<String> compare(ObjectNode before, ObjectNode after) throws IOException {
        int exit = BenchComparison.run(List.of(write("before.json", before).toString(), write("after.json", after).toString()), out);
        assertThat(exit).as(printed.toString(StandardCharsets.UTF_8)).isZero();
        return lines();
    }

    private List<String> lines() {
        return Arrays.asList(printed.toString(StandardCharsets.UTF_8).split("\n"));
    }

    private static String line(List<String> lines, String label) {
        return lines.stream().filter(line -> line.trim().startsWith(label)).findFirst()
                .orElseThrow(() -> new AssertionError("no line " + label + " in " + lines));
    }

    @Test
    void eachWindowShowsBothRunsFiguresAndTheChangeOfEach() throws IOException {
        ObjectNode before = run();
        ((ObjectNode) step(before).path("latency_millis")).put("p50", 12.5);
        ObjectNode after = run();
        after.put("commit", "43f23c0aa");
        after.put("working_tree_changed", false);
        step(after).put("error_count", 0);
        ((ObjectNode) step(after).path("latency_millis")).put("p50", 6.25);
        ((ObjectNode) step(after).path("cpu").path("processes").get(0)).put("millis_per_payment", 3.0);
        ((ObjectNode) step(after).path("cpu").path("platform_total")).put("millis_per_payment", 1.0);
        ((ObjectNode) step(after).path("database")).put("commits_per_payment", 4.75);
        ((ObjectNode) step(after).path("compile_seconds")).put("auth-service", 1.0);
        ObjectNode pauses = (ObjectNode) step(after).path("gc_pauses");
        pauses.put("count", 5).put("total_millis", 30.25);
        ((ObjectNode) pauses.path("longest")).put("millis", 12.5);
        pauses.withArray("full").removeAll();
        ((ObjectNode) after.path("machine_work")).put("best_millis", 202.5);

        List<String> lines = compare(before, after);

        assertThat(line(lines, "before:")).contains("before.json", "commit b677293 (with uncommitted changes)",
                "started 2026-12-01T18:40:00Z");
        assertThat(line(lines, "after:")).contains("after.json", "commit 43f23c0,").doesNotContain("uncommitted");
        assertThat(line(lines, "settings")).isEqualTo("  settings: the same");
        assertThat(line(lines, "machine:")).startsWith("  machine: a fixed piece of work took 101.3 and 202.5 ms of CPU"
                + " (+100.0 %)");
        assertThat(line(lines, "Window 1")).isEqualTo("Window 1: 20/s and 20/s");
        assertThat(line(lines, "errors").split("\\s+")).containsSubsequence("2", "0", "-2");
        assertThat(line(lines, "p50, ms").split("\\s+")).containsSubsequence("12.50", "6.25", "-50.0", "%");
        assertThat(line(lines, "gateway-service").split("\\s+")).containsSubsequence("2.00", "3.00", "+50.0", "%");
        assertThat(line(lines, "ledger-service").split("\\s+")).containsSubsequence("0.00", "0.00").doesNotContain("%");
        assertThat(line(lines, "CPU per payment, platform").split("\\s+")).containsSubsequence("2.00", "1.00", "-50.0", "%");
        assertThat(line(lines, "commits per payment").split("\\s+")).containsSubsequence("9.50", "4.75", "-50.0", "%");
        assertThat(line(lines, "services' compile time").split("\\s+")).containsSubsequence("2.35", "3.35");
        assertThat(line(lines, "achieved per second")).doesNotContain("%");
        assertThat(line(lines, "services' GC pauses").split("\\s+")).containsSubsequence("2", "5", "+3");
        assertThat(line(lines, "stopped in all, ms").split("\\s+")).containsSubsequence("1,225.1", "30.25", "-97.5", "%");
        assertThat(line(lines, "the longest, ms").split("\\s+")).containsSubsequence("1,220.6", "12.50", "-99.0", "%");
        assertThat(line(lines, "full collections").split("\\s+")).containsSubsequence("1", "0", "-1");
    }

    @Test
    void settingsThatDifferAreNamedWithBothValues() throws IOException {
        ObjectNode after = run();
        ((ObjectNode) after.path("settings")).put("seconds_per_rate", 60);
        ((ObjectNode) after.path("settings")).put("mode", "ramp");

        List<String> lines = compare(run(), after);

        assertThat(line(lines, "settings that differ")).contains("mode rate → ramp", "seconds_per_rate 10 → 60");
    }

    @Test
    void aFigureAnOlderFileLacksShowsAsADashAndExtraWindowsAreCounted() throws IOException {
        ObjectNode before = run();
        step(before).remove("platform_age_seconds");
        step(before).remove("compile_seconds");
        step(before).remove("gc_pauses");
        before.remove("machine_work");
        ObjectNode after = run();
        after.withArray("steps").add(step(after).deepCopy());

        List<String> lines = compare(before, after);

        assertThat(line(lines, "platform age").split("\\s+")).containsSubsequence("–", "312.0").doesNotContain("%");
        assertThat(line(lines, "services' compile time").split("\\s+")).containsSubsequence("–", "2.35");
        assertThat(line(lines, "full collections").split("\\s+")).containsSubsequence("–", "1");
        assertThat(line(lines, "machine:")).contains("took – and 101.3 ms of CPU;");
        assertThat(lines).contains("The runs have 1 and 2 windows; the first 1 are compared.");
    }

    @Test
    void aFileThatIsNotABenchResultIsRefusedByNameWithExitTwo() throws IOException {
        Path notABench = Files.writeString(directory.resolve("prometheus.json"), "{\"status\":\"success\"}");
        Path notJson = Files.writeString(directory.resolve("notes.txt"), "p99 went down");

        assertThat(BenchComparison.run(List.of(write("good.json", run()).toString(), notABench.toString()), out)).isEqualTo(2);
        assertThat(BenchComparison.run(List.of(notJson.toString(), notABench.toString()), out)).isEqualTo(2);
        assertThat(BenchComparison.run(List.of(notABench.toString()), out)).isEqualTo(2);

        assertThat(lines()).containsExactly(
                notABench + " is not what ./nightjar bench --json writes: it has no \"steps\"",
                lines().get(1),
                "bench-compare takes two files written by ./nightjar bench --json: BEFORE.json AFTER.json");
        assertThat(lines().get(1)).startsWith(notJson + " cannot be read as JSON");
    }
}
