package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A one-member etcd (Debian's etcd-server, v3 API) on loopback: the store in which Patroni nodes hold the
 * leader lock of their cluster. Its data and working directory are one directory, so whatever a killed etcd
 * left there is found and cleared before a new one starts.
 */
public final class LocalEtcd {

    static final Path BINARY = Path.of("/usr/bin/etcd");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final Path home;
    private final int clientPort;
    private final int peerPort;
    private final Path logFile;
    private final PidFile pidFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();

    public LocalEtcd(Path home, int clientPort, int peerPort, Path logFile, Path pidFile) {
        this.home = home.toAbsolutePath().normalize();
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.logFile = logFile;
        this.pidFile = new PidFile(pidFile);
    }

    /** {@code host:port} of its client endpoint, as Patroni's {@code etcd3.hosts} wants it. */
    public String endpoint() {
        return "127.0.0.1:" + clientPort;
    }

    public int port() {
        return clientPort;
    }

    /** The running etcd process, if the pid file names a live process working in etcd's directory. */
    public Optional<ProcessHandle> process() {
        return pidFile.live().filter(process -> DirectoryProcesses.worksIn(process, home));
    }

    public boolean isRunning() {
        return process().isPresent();
    }

    /** Starts etcd unless it runs, after killing anything a dead etcd left in its directory; waits until it is healthy. */
    public void start() {
        if (isRunning()) {
            awaitHealthy();
            return;
        }
        try {
            Files.createDirectories(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DirectoryProcesses.killAll(home, Duration.ofSeconds(10));
        String client = "http://127.0.0.1:" + clientPort;
        String peer = "http://127.0.0.1:" + peerPort;
        List<String> command = List.of(BINARY.toString(),
                "--name", "nightjar",
                "--data-dir", home.resolve("data").toString(),
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "nightjar=" + peer, "--initial-cluster-state", "new",
                "--initial-cluster-token", "nightjar-" + clientPort,
                // Patroni rewrites its member keys every loop: without compaction the store only grows.
                "--auto-compaction-mode", "periodic", "--auto-compaction-retention", "1h",
                "--snapshot-count", "10000",
                "--logger", "zap", "--log-level", "warn");
        Process process = Processes.startDetached(command, home, logFile, Map.of());
        pidFile.write(process.toHandle());
        awaitHealthy();
    }

    /** Whether it answers its health endpoint with {@code "health":"true"}. */
    public boolean isHealthy() {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + clientPort + "/health"))
                    .timeout(PROBE_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().replace(" ", "").contains("\"health\":\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGTERM, SIGKILL after {@code timeout}. */
    public void stop(Duration timeout) {
        process().ifPresent(process -> PidFile.terminate(process, timeout));
        pidFile.delete();
    }

    /** SIGKILL, as a lost machine. */
    public void kill() {
        process().ifPresent(process -> {
            process.destroyForcibly();
            PidFile.awaitExit(process, Duration.ofSeconds(10));
        });
    }

    private void awaitHealthy() {
        Poll.until("etcd on " + endpoint() + " to be healthy (see " + logFile + ")", READY_TIMEOUT, () -> {
            if (!isRunning()) {
                throw new IllegalStateException("etcd exited during start; see " + logFile);
            }
            return isHealthy();
        });
    }
}
