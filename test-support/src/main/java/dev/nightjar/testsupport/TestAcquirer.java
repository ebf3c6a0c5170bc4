package dev.nightjar.testsupport;

import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real acquirer simulator for a service's integration tests: the simulator's own executable jar
 * ({@code acquirer-simulator/target/acquirer-simulator-exec.jar}, built by the reactor before the services
 * that test against it) run as a child process on free ports with the test certificates, one per acquirer
 * name and test JVM, stopped when the JVM exits. A service module cannot depend on the simulator's classes
 * (services share only common-lib), so it talks to the simulator the way it will in production: over mTLS.
 */
public final class TestAcquirer {

    /** A start takes seconds, but over a minute on two cores shared with other builds. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Map<String, TestAcquirer> RUNNING = new ConcurrentHashMap<>();

    private final String name;
    private final int port;
    private final Process process;

    private TestAcquirer(String name, int port, Process process) {
        this.name = name;
        this.port = port;
        this.process = process;
    }

    /** The simulator playing {@code name} (acquirer-a, ...), started on first use, with no simulated latency. */
    public static TestAcquirer named(String name) {
        return RUNNING.computeIfAbsent(name, shared -> start(shared, Path.of("target", "test-acquirer-" + shared + ".log"),
                List.of("-Xmx768m"), List.of()));
    }

    /**
     * A simulator of the caller's own, not shared, started now with {@code arguments} added to the usual ones
     * (a data directory, say), logging to {@code log}; the caller stops or kills it. It runs a small, quickly
     * started JVM (C1 only, serial GC): tests that start it several times wait for its start, not its speed.
     */
    public static TestAcquirer startOwn(String name, Path log, List<String> arguments) {
        return start(name, log, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), arguments);
    }

    public String name() {
        return name;
    }

    /** Its base URL, for {@code nightjar.acquirers.<name>.url}. */
    public String url() {
        return "https://localhost:" + port;
    }

    /** Calls it as {@code identity} (the operator for its admin API). */
    public TestHttp as(String identity) {
        return new TestHttp(url(), identity);
    }

    private static TestAcquirer start(String name, Path logFile, List<String> jvmOptions, List<String> arguments) {
        Path jar = simulatorJar();
        int port = freePort();
        int managementPort = freePort();
        Path log = logFile.toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "--server.port=" + port, "--server.address=127.0.0.1",
                "--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
                "--nightjar.tls.dir=" + TestTls.dir(), "--nightjar.acquirer.name=" + name,
                "--nightjar.acquirer.latency-median=0ms", "--nightjar.acquirer.latency-p99=0ms"));
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "test-acquirer-" + name + "-stop"));
            TestHttp management = new TestHttp("https://localhost:" + managementPort, null);
            try {
                Await.until(name + " (simulator) to be healthy; its log is " + log, START_TIMEOUT, () -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
                    }
                    return management.get("/actuator/health").body().contains("\"status\":\"UP\"");
                });
            } catch (AssertionError | RuntimeException e) {
                // nobody holds it to stop it later
                process.destroyForcibly();
                throw e;
            }
            return new TestAcquirer(name, port, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the acquirer simulator " + jar, e);
        }
    }

    private static Path simulatorJar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("acquirer-simulator").resolve("target").resolve("acquirer-simulator-exec.jar");
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            if (Files.isRegularFile(dir.resolve("acquirer-simulator").resolve("pom.xml"))) {
                throw new IllegalStateException("the acquirer simulator is not built (" + jar
                        + "): build it first, e.g. ./mvnw -pl acquirer-simulator package -DskipTests");
            }
        }
        throw new IllegalStateException("no acquirer-simulator module above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops it now (its JVM's shutdown hook does otherwise). */
    public void stop() {
        RUNNING.remove(name, this);
        process.destroy();
    }

    /** Kills it with SIGKILL (no shutdown hook runs, nothing is flushed) and waits until it is gone. */
    public void kill() {
        RUNNING.remove(name, this);
        try {
            if (!process.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " still runs 30 s after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name + " to die", e);
        }
    }
}
