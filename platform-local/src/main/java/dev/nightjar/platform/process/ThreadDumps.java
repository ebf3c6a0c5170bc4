package dev.nightjar.platform.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Thread dumps of a running JVM by {@code jcmd}, and the stacks read from them: taken of a service that does not
 * become healthy, so that a hang seen once is diagnosed from what it left behind.
 *
 * <p>Two kinds. {@code Thread.print} ({@link #print}) lists the platform threads, a carrier's with the frames of
 * the virtual thread mounted on it. {@code Thread.dump_to_file} ({@link #withVirtualThreads}) lists the virtual
 * threads that wait unmounted too, but walks them all in the JVM's attach listener, which once crashed a loaded
 * gateway (docs/reliability.md): take the first before the second.
 */
public final class ThreadDumps {

    private static final Duration JCMD_TIMEOUT = Duration.ofSeconds(30);
    /** A thread's heading: {@code "main" #1 [4242] prio=5 ...} in Thread.print, {@code #1 "main" WAITING ...} or
     * {@code #57 "" virtual ...} in Thread.dump_to_file. */
    private static final Pattern HEADING = Pattern.compile("^(?:#\\d+ )?\"([^\"]*)\"");
    private static final Pattern MOUNTED = Pattern.compile("^\\s*Mounted virtual thread #\\d+");

    private ThreadDumps() {
    }

    /** {@code jcmd <pid> Thread.print} into {@code file}; empty when it could not be taken. */
    public static Optional<Path> print(long pid, Path file) {
        return jcmd(pid, file, true, "Thread.print");
    }

    /** {@code jcmd <pid> Thread.dump_to_file -format=plain} into {@code file}; empty when it could not be taken. */
    public static Optional<Path> withVirtualThreads(long pid, Path file) {
        return jcmd(pid, file, false, "Thread.dump_to_file", "-format=plain", file.toAbsolutePath().toString());
    }

    /**
     * The stacks of the threads whose names {@code named} accepts, each its heading and up to {@code frames} more
     * lines, in the dump's order.
     */
    public static List<String> stacks(String dump, Predicate<String> named, int frames) {
        return threads(dump, named, frames).stream().map(thread -> String.join("\n", thread.lines())).toList();
    }

    /**
     * From a {@code Thread.print} dump: each carrier that has a virtual thread mounted, and that thread's stack (its
     * "Mounted virtual thread" line and up to {@code frames} frames).
     */
    public static Map<String, String> mounted(String printed, int frames) {
        Map<String, String> mounted = new LinkedHashMap<>();
        for (Stack carrier : threads(printed, name -> name.startsWith("ForkJoinPool-"), Integer.MAX_VALUE)) {
            List<String> lines = carrier.lines();
            for (int i = 0; i < lines.size(); i++) {
                if (MOUNTED.matcher(lines.get(i)).find()) {
                    mounted.put(carrier.name(), String.join("\n", lines.subList(i, Math.min(lines.size(), i + 1 + frames))));
                }
            }
        }
        return mounted;
    }

    /** A thread of a dump: its name, and its heading and frames. */
    private record Stack(String name, List<String> lines) {
    }

    private static List<Stack> threads(String dump, Predicate<String> named, int frames) {
        List<String> lines = dump.lines().toList();
        List<Stack> threads = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher heading = HEADING.matcher(lines.get(i));
            if (heading.find() && named.test(heading.group(1))) {
                List<String> stack = new ArrayList<>(List.of(lines.get(i)));
                for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank() && stack.size() <= frames; j++) {
                    stack.add(lines.get(j));
                }
                threads.add(new Stack(heading.group(1), stack));
            }
        }
        return threads;
    }

    private static Optional<Path> jcmd(long pid, Path file, boolean outputToFile, String... command) {
        Path jcmd = Path.of(Processes.javaExecutable()).resolveSibling("jcmd");
        if (!Files.isExecutable(jcmd)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.deleteIfExists(file);
            List<String> full = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
            full.addAll(List.of(command));
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(outputToFile ? ProcessBuilder.Redirect.to(file.toFile()) : ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean ended = process.waitFor(JCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (ended && process.exitValue() == 0 && Files.isRegularFile(file) && Files.size(file) > 0) {
                return Optional.of(file);
            }
            process.destroyForcibly();
            Files.deleteIfExists(file); // jcmd's complaint, not a dump
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
