package dev.nightjar.platform.observe;

import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local platform's trace store: the Zipkin server (Maven Central's {@code io.zipkin:zipkin-server} exec jar,
 * which the build copies to {@code platform-local/target/zipkin}), in memory, on loopback. The services send it
 * their spans ({@code /api/v2/spans}); {@code ./nightjar trace} and its UI read them back.
 */
public final class LocalZipkin {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** Spans kept in memory before the oldest traces go: a few hours of the local platform's traffic. */
    private static final int MAX_SPANS = 2_000_000;

    private final Path jar;
    private final Path home;
    private final int port;
    private final Path logFile;
    private final PidFile pidFile;

    public LocalZipkin(Path jar, Path home, int port, Path logFile, Path pidFile) {
        this.jar = jar;
        this.home = home;
        this.port = port;
        this.logFile = logFile;
        this.pidFile = new PidFile(pidFile);
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where the services post their spans. */
    public String spansEndpoint() {
        return url() + "/api/v2/spans";
    }

    public Optional<ProcessHandle> process() {
        return pidFile.live();
    }

    public boolean isRunning() {
        return pidFile.live().isPresent();
    }

    /** Starts the server unless it runs; returns at once (it takes tens of seconds: see {@link #awaitReady}). */
    public void start() {
        if (isRunning()) {
            return;
        }
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the Zipkin server jar is missing (" + jar + "): build with ./mvnw package");
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DirectoryProcesses.killAll(home, STOP_GRACE);
        List<String> command = List.of(Processes.javaExecutable(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "-Xss512k", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                // Zipkin serves through Armeria: its port list, on loopback only
                "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].protocols=http",
                "--zipkin.storage.type=mem", "--zipkin.storage.mem.max-spans=" + MAX_SPANS,
                "--zipkin.self-tracing.enabled=false", "--logging.level.root=WARN");
        Process process = Processes.startDetached(command, home, logFile, Map.of());
        pidFile.write(process.toHandle());
    }

    /** Waits until the server answers its health check. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("the Zipkin server exited during start; see " + logFile);
            }
            if (isHealthy()) {
                return;
            }
            Poll.pause(Duration.ofMillis(500));
        }
        throw new IllegalStateException("the Zipkin server was not ready within " + timeout + "; see " + logFile);
    }

    public boolean isHealthy() {
        return HttpProbe.answers(url() + "/health", body -> body.contains("UP"));
    }

    public void stop() {
        pidFile.live().ifPresent(process -> PidFile.terminate(process, STOP_GRACE));
        pidFile.delete();
    }
}
