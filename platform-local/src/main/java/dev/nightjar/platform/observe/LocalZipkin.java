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

    /**
     * The server's heap, and how many spans it keeps before the oldest traces go. The young generation is an
     * eighth of the heap (the server's requests make little garbage; its spans live long), and the spans kept fill
     * at most half of the old generation after a full collection, so that full collections come minutes apart and
     * the server never runs out. Zipkin's in-memory store holds 2.7-3.1 KB of heap per span of the services'
     * over a base of 25-27 MB (measured on 2026-12-04 as the heap after a full collection against the spans
     * received: the fleet at 40 payments/s, 21 spans a payment; and one payment's trace replayed, in
     * {@code LocalZipkinMemoryIT}); 3.2 KB is counted. It held up to 2,000,000 spans in a
     * 384 MB heap before: at 20 payments/s it ran out within eight minutes, spent its last two minutes in back-to-back
     * full collections (a core's worth, which the benchmark's p99 showed), and exited.
     */
    public record Memory(int heapMegabytes) {

        /** The local platform's: 99,600 spans, about 4,700 payments' traces (four minutes at 20 payments/s). */
        public static final Memory LOCAL = new Memory(768);

        static final int BASE_MEGABYTES = 32;
        static final int BYTES_PER_SPAN = 3_200;

        public Memory {
            if (oldGenerationMegabytes(heapMegabytes) / 2 <= BASE_MEGABYTES) {
                throw new IllegalArgumentException("a Zipkin heap of " + heapMegabytes + " MB holds no spans");
            }
        }

        public int youngGenerationMegabytes() {
            return heapMegabytes / 8;
        }

        public int maxSpans() {
            long megabytesForSpans = oldGenerationMegabytes(heapMegabytes) / 2L - BASE_MEGABYTES;
            return (int) (megabytesForSpans * 1024 * 1024 / BYTES_PER_SPAN);
        }

        private static int oldGenerationMegabytes(int heapMegabytes) {
            return heapMegabytes - heapMegabytes / 8;
        }
    }

    private final Path jar;
    private final Path home;
    private final int port;
    private final Path logFile;
    private final PidFile pidFile;
    private final Memory memory;

    public LocalZipkin(Path jar, Path home, int port, Path logFile, Path pidFile) {
        this(jar, home, port, logFile, pidFile, Memory.LOCAL);
    }

    public LocalZipkin(Path jar, Path home, int port, Path logFile, Path pidFile, Memory memory) {
        this.memory = memory;
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
                "-Xms" + (memory.youngGenerationMegabytes() + 64) + "m", "-Xmx" + memory.heapMegabytes() + "m",
                "-Xmn" + memory.youngGenerationMegabytes() + "m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                "-Xss512k", "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                // Zipkin serves through Armeria: its port list, on loopback only
                "--armeria.ports[0].port=" + port, "--armeria.ports[0].ip=127.0.0.1", "--armeria.ports[0].protocols=http",
                "--zipkin.storage.type=mem", "--zipkin.storage.mem.max-spans=" + memory.maxSpans(),
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
