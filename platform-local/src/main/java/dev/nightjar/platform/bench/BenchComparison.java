package dev.nightjar.platform.bench;

import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.MissingNode;

/**
 * {@code ./nightjar bench-compare BEFORE.json AFTER.json}: two runs of the open-loop bench side by side, window by
 * window, with the change of each figure: throughput, errors, latency, CPU per payment of the platform and of every
 * process, the database's statements and commits per payment, the services' compile time and their collectors'
 * pauses, and how fast each day's machine ran a fixed piece of work ({@link MachineSpeed}). It reads what
 * {@code bench --json} wrote; a figure an older file lacks shows as a dash. It judges nothing: two fleets of one
 * build differ by several per cent, which the footer says.
 */
public final class BenchComparison {

    private static final String DASH = "–";

    private final PrintStream out;

    public BenchComparison(PrintStream out) {
        this.out = out;
    }

    /** Thrown for a file that cannot be read or is not a bench result. */
    public static final class NotABenchResult extends Exception {
        NotABenchResult(String message) {
            super(message);
        }
    }

    /**
     * The command: {@code args} are the two files, before and after. Returns its exit status: 0 when both were
     * compared, 2 when they were not given or one is not a bench result (the reason printed).
     */
    public static int run(List<String> args, PrintStream out) {
        if (args.size() != 2) {
            out.println("bench-compare takes two files written by ./nightjar bench --json: BEFORE.json AFTER.json");
            return 2;
        }
        try {
            JsonNode before = read(Path.of(args.get(0)));
            JsonNode after = read(Path.of(args.get(1)));
            new BenchComparison(out).print(args.get(0), before, args.get(1), after);
            return 0;
        } catch (NotABenchResult e) {
            out.println(e.getMessage());
            return 2;
        }
    }

    /** Reads one {@code bench --json} file. */
    public static JsonNode read(Path file) throws NotABenchResult {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (JacksonException e) {
            throw new NotABenchResult(file + " cannot be read as JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NotABenchResult(file + " cannot be read: " + e.getMessage());
        }
        if (!root.path("steps").isArray()) {
            throw new NotABenchResult(file + " is not what ./nightjar bench --json writes: it has no \"steps\"");
        }
        return root;
    }

    /** Prints the comparison of {@code before} (named {@code beforeName}) with {@code after}. */
    public void print(String beforeName, JsonNode before, String afterName, JsonNode after) {
        out.println("Comparing two runs of ./nightjar bench --json");
        out.println("  before: " + beforeName + ", " + describe(before));
        out.println("  after:  " + afterName + ", " + describe(after));
        List<String> settings = settingsThatDiffer(before.path("settings"), after.path("settings"));
        out.println(settings.isEmpty() ? "  settings: the same" : "  settings that differ: " + String.join("; ", settings));
        JsonNode machineBefore = before.path("machine_work").path("best_millis");
        JsonNode machineAfter = after.path("machine_work").path("best_millis");
        String moved = change(machineBefore, machineAfter, true);
        out.printf("  machine: a fixed piece of work took %s and %s ms of CPU%s; CPU per payment moves with it%n",
                figure(machineBefore), figure(machineAfter), moved.isEmpty() ? "" : " (" + moved + ")");
        JsonNode beforeSteps = before.path("steps");
        JsonNode afterSteps = after.path("steps");
        int common = Math.min(beforeSteps.size(), afterSteps.size());
        for (int i = 0; i < common; i++) {
            printStep(i + 1, beforeSteps.get(i), afterSteps.get(i));
        }
        if (beforeSteps.size() != afterSteps.size()) {
            out.printf("%nThe runs have %d and %d windows; the first %d are compared.%n", beforeSteps.size(),
                    afterSteps.size(), common);
        }
        out.println();
        out.println("Two fleets of one build differ by several per cent in CPU per payment and more in p99");
        out.println("(docs/performance.md): alternate the builds and repeat before reading a change as a result.");
    }

    private static String describe(JsonNode run) {
        String commit = run.path("commit").asString("");
        String shortCommit = commit.length() > 7 ? commit.substring(0, 7) : commit.isEmpty() ? "unknown" : commit;
        String tree = run.path("working_tree_changed").asBoolean(false) ? " (with uncommitted changes)" : "";
        return "commit " + shortCommit + tree + ", started " + run.path("started_at").asString("at an unknown time");
    }

    private static List<String> settingsThatDiffer(JsonNode before, JsonNode after) {
        Set<String> names = new LinkedHashSet<>(before.propertyNames());
        names.addAll(after.propertyNames());
        List<String> differ = new ArrayList<>();
        for (String name : names) {
            if (!before.path(name).equals(after.path(name))) {
                differ.add(name + " " + text(before.path(name)) + " → " + text(after.path(name)));
            }
        }
        return differ;
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? DASH : value.isString() ? value.asString() : value.toString();
    }

    private void printStep(int number, JsonNode before, JsonNode after) {
        out.printf("%nWindow %d: %s and %s%n", number, rate(before), rate(after));
        out.printf("  %-38s %12s %12s %10s%n", "", "BEFORE", "AFTER", "CHANGE");
        row("platform age at its start, s", before, after, step -> step.path("platform_age_seconds"), false);
        row("achieved per second", before, after, step -> step.path("achieved_per_second"), true);
        row("payments created", before, after, step -> step.path("payments_created"), true);
        row("errors", before, after, step -> step.path("error_count"), false);
        row("p50, ms", before, after, step -> step.path("latency_millis").path("p50"), true);
        row("p99, ms", before, after, step -> step.path("latency_millis").path("p99"), true);
        row("p99.9, ms", before, after, step -> step.path("latency_millis").path("p99_9"), true);
        row("CPU per payment, platform, ms", before, after,
                step -> step.path("cpu").path("platform_total").path("millis_per_payment"), true);
        row("CPU per payment, Nightjar's own, ms", before, after,
                step -> step.path("cpu").path("nightjar").path("millis_per_payment"), true);
        row("CPU per payment, whole machine, ms", before, after,
                step -> step.path("cpu").path("whole_machine").path("millis_per_payment"), true);
        for (String process : processes(before, after)) {
            row("  " + process, before, after, step -> processRow(step, process).path("millis_per_payment"), true);
        }
        row("statements per payment", before, after,
                step -> step.path("database").path("statements_per_payment"), true);
        row("commits per payment", before, after, step -> step.path("database").path("commits_per_payment"), true);
        row("time in statements per payment, ms", before, after,
                step -> step.path("database").path("statement_millis_per_payment"), true);
        row("database backends' CPU per payment, ms", before, after,
                step -> step.path("database").path("backend_cpu_millis_per_payment"), true);
        out.printf("  %-38s %12s %12s%n", "services' compile time, s", compileSeconds(before), compileSeconds(after));
        row("services' GC pauses", before, after, step -> step.path("gc_pauses").path("count"), false);
        row("  stopped in all, ms", before, after, step -> step.path("gc_pauses").path("total_millis"), true);
        row("  the longest, ms", before, after, step -> step.path("gc_pauses").path("longest").path("millis"), true);
        row("  full collections", before, after, BenchComparison::fullCollections, false);
    }

    private static JsonNode fullCollections(JsonNode step) {
        JsonNode full = step.path("gc_pauses").path("full");
        return full.isArray() ? IntNode.valueOf(full.size()) : MissingNode.getInstance();
    }

    private static String rate(JsonNode step) {
        JsonNode rate = step.path("rate_per_second");
        if (!rate.isNumber()) {
            return "an unknown rate";
        }
        return OpenLoopBenchmark.number(rate.asDouble()) + "/s";
    }

    /** Every process either run measured, in the order the runs list them. */
    private static Set<String> processes(JsonNode before, JsonNode after) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode step : List.of(before, after)) {
            for (JsonNode row : step.path("cpu").path("processes")) {
                names.add(row.path("process").asString(""));
            }
        }
        names.remove("");
        return names;
    }

    private static JsonNode processRow(JsonNode step, String process) {
        for (JsonNode row : step.path("cpu").path("processes")) {
            if (process.equals(row.path("process").asString(""))) {
                return row;
            }
        }
        return MissingNode.getInstance();
    }

    private static String compileSeconds(JsonNode step) {
        JsonNode seconds = step.path("compile_seconds");
        if (!seconds.isObject() || seconds.isEmpty()) {
            return DASH;
        }
        double total = 0;
        for (JsonNode service : seconds) {
            total += service.asDouble();
        }
        return format(total);
    }

    private void row(String label, JsonNode before, JsonNode after, Function<JsonNode, JsonNode> figure, boolean relative) {
        JsonNode was = figure.apply(before);
        JsonNode is = figure.apply(after);
        out.printf("  %-38s %12s %12s %10s%n", label, figure(was), figure(is), change(was, is, relative));
    }

    private static String figure(JsonNode value) {
        if (!value.isNumber()) {
            return DASH;
        }
        return value.isIntegralNumber() ? String.format(Locale.ROOT, "%,d", value.asLong()) : format(value.asDouble());
    }

    /** The change as a percentage of the first figure, or as a difference where a percentage would mislead. */
    static String change(JsonNode was, JsonNode is, boolean relative) {
        if (!was.isNumber() || !is.isNumber()) {
            return "";
        }
        double before = was.asDouble();
        double after = is.asDouble();
        if (before == after) {
            return "";
        }
        if (!relative || before == 0) {
            if (was.isIntegralNumber() && is.isIntegralNumber()) {
                return String.format(Locale.ROOT, "%+,d", is.asLong() - was.asLong());
            }
            return (after > before ? "+" : "") + format(after - before);
        }
        return String.format(Locale.ROOT, "%+.1f %%", (after - before) / before * 100);
    }

    /** Two decimals, one from a hundred up. */
    private static String format(double value) {
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.1f" : "%.2f", value);
    }
}
