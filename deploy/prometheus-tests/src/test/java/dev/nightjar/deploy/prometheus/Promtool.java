package dev.nightjar.deploy.prometheus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's promtool (package prometheus, 2.42 on Debian 12), installed by bin/observability-packages.sh the first
 * time a test needs it and finds it missing.
 */
final class Promtool {

    static final Path EXECUTABLE = Path.of("/usr/bin/promtool");

    /** apt-get update and the install: under a minute here, more on a slow mirror. */
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    /** The slowest test file takes about 10 s on two busy cores. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(3);

    /** One finished command: its exit status and what it printed (stdout and stderr together). */
    record Result(List<String> command, int exitCode, String output) {

        String describe() {
            return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
        }
    }

    private Promtool() {
    }

    static Result checkRules(Path ruleFile) {
        return run(RUN_TIMEOUT, List.of(executable().toString(), "check", "rules", ruleFile.toString()));
    }

    static Result testRules(Path testFile) {
        return run(RUN_TIMEOUT, List.of(executable().toString(), "test", "rules", testFile.toString()));
    }

    /** The executable, installed first when missing; fails with the installer's output when it cannot be. */
    static synchronized Path executable() {
        if (!Files.isExecutable(EXECUTABLE)) {
            Result install = run(INSTALL_TIMEOUT, List.of("bash", Repository.PACKAGES_SCRIPT.toString()));
            if (install.exitCode() != 0 || !Files.isExecutable(EXECUTABLE)) {
                throw new IllegalStateException(EXECUTABLE + " is missing and " + Repository.PACKAGES_SCRIPT
                        + " did not install it: " + install.describe());
            }
        }
        return EXECUTABLE;
    }

    /** Runs a command to its end, its output in a file rather than a pipe that could fill and stall it. */
    static Result run(Duration timeout, List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("nightjar-promtool", ".log");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                        + Files.readString(output));
            }
            return new Result(command, process.exitValue(), Files.readString(output));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file is no reason to fail a test.
        }
    }
}
