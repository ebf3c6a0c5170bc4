package dev.nightjar.platform.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starting detached child processes that outlive the launcher, with output appended to a log file. */
public final class Processes {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private Processes() {
    }

    /** The java executable of the running JVM, reused for every child so all run on the same JDK. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The class path of this JVM as a list usable by a child (Maven's test runners hide it in a property). */
    public static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * JVM options from the environment variable {@code variable}, split on white space; none when it is unset or
     * blank. Callers put them after their own, so they win.
     */
    public static List<String> javaOptionsFromEnvironment(String variable) {
        String options = System.getenv(variable);
        return options == null || options.isBlank() ? List.of() : List.of(options.strip().split("\\s+"));
    }

    /**
     * Starts {@code command} in a session of its own (so a Ctrl-C at the launcher's terminal does not reach
     * it), stdin from /dev/null, stdout and stderr appended to {@code log}.
     */
    public static Process startDetached(List<String> command, Path workingDirectory, Path log, Map<String, String> environment) {
        List<String> full = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(full)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true);
            builder.environment().putAll(environment);
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        }
    }

    /** Runs a command to completion; fails with its output if it exits non-zero. */
    public static void run(List<String> command, Path workingDirectory, Path log) {
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectErrorStream(true)
                    .start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(4, command.size())))
                        + " exited with " + exit + "; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
