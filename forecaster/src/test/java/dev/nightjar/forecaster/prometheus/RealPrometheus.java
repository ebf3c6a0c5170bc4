package dev.nightjar.forecaster.prometheus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Prometheus server (Debian's {@code prometheus}) on 127.0.0.1, port 19190-19199, whose TSDB is made from
 * generated history by {@code promtool tsdb create-blocks-from openmetrics}. It scrapes nothing: the history is all
 * it has. Debian's package is installed by the project's {@code bin/observability-packages.sh} when it is missing.
 */
public final class RealPrometheus implements AutoCloseable {

    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final int FIRST_PORT = 19190;
    private static final int LAST_PORT = 19199;
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);
    /** promtool writes a block per two hours of history, about a second each here: four weeks take minutes. */
    private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final String READY_LINE = "Server is ready to receive web requests";

    private final Process process;
    private final URI url;

    private RealPrometheus(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    /** Imports {@code history} (an OpenMetrics text ending in {@code # EOF}) and starts Prometheus on it. */
    public static RealPrometheus start(Path directory, Writeable history) throws IOException, InterruptedException {
        ensureInstalled();
        Path input = directory.resolve("history.om");
        try (Writer writer = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            history.writeTo(writer);
        }
        Path tsdb = directory.resolve("tsdb");
        run(List.of(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics", input.toString(), tsdb.toString()),
                directory.resolve("promtool.log"), IMPORT_TIMEOUT);
        Path config = directory.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
        int port = freePort();
        Path log = directory.resolve("prometheus.log");
        Process process = new ProcessBuilder(PROMETHEUS.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + tsdb,
                // Retention counts from the newest block: generous, so the imported weeks are all kept.
                "--storage.tsdb.retention.time=365d",
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .start();
        process.getOutputStream().close();
        RealPrometheus prometheus = new RealPrometheus(process, URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitReady(log);
        } catch (IOException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** Something that writes OpenMetrics text; the history can be tens of megabytes, so it is streamed. */
    @FunctionalInterface
    public interface Writeable {
        void writeTo(Writer writer) throws IOException;
    }

    public URI url() {
        return url;
    }

    /** One series of a request counter: its labels (as written between braces), its first minute and per-minute rates. */
    public record RequestCounter(String labels, long startMinute, double[] rates) {
    }

    /**
     * Writes each counter as {@code http_server_requests_seconds_count} sampled every {@code scrapeSeconds}, growing
     * at its per-minute rate (requests/s; NaN: no samples that minute), as OpenMetrics.
     */
    public static void writeRequestCounters(Writer writer, int scrapeSeconds, List<RequestCounter> counters) throws IOException {
        writer.write("# TYPE http_server_requests_seconds summary\n");
        for (RequestCounter counter : counters) {
            double count = 0;
            double[] rates = counter.rates();
            for (int minute = 0; minute < rates.length; minute++) {
                if (Double.isNaN(rates[minute])) {
                    continue;
                }
                for (int second = 0; second < 60; second += scrapeSeconds) {
                    count += rates[minute] * scrapeSeconds;
                    long timestamp = (counter.startMinute() + minute) * 60 + second + scrapeSeconds;
                    writer.write(String.format(Locale.ROOT, "http_server_requests_seconds_count{%s} %.3f %d%n",
                            counter.labels(), count, timestamp));
                }
            }
        }
        writer.write("# EOF\n");
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        // Prometheus says when it is ready; its output is copied to the log file as it comes.
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("prometheus-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                 Writer copy = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    copy.write(line + "\n");
                    copy.flush();
                    if (line.contains(READY_LINE)) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IOException("Prometheus exited with " + process.waitFor() + "; see " + log));
            } catch (IOException | InterruptedException e) {
                ready.completeExceptionally(e);
            }
        });
        try {
            ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("Prometheus did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("Prometheus not ready within " + START_TIMEOUT + "; see " + log, e);
        }
        HttpResponse<String> readiness = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (readiness.statusCode() != 200) {
            throw new IOException("Prometheus logged readiness but /-/ready answers " + readiness.statusCode());
        }
    }

    /** Installs Debian's prometheus (with promtool) when missing, with the project's bin/observability-packages.sh. */
    static synchronized void ensureInstalled() throws IOException, InterruptedException {
        if (Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL)) {
            return;
        }
        Path repository = Path.of(System.getProperty("nightjar.repository", "..")).toAbsolutePath().normalize();
        Path script = repository.resolve("bin/observability-packages.sh");
        Path log = Files.createTempFile("prometheus-install", ".log");
        run(List.of("bash", script.toString()), log, INSTALL_TIMEOUT);
        if (!Files.isExecutable(PROMETHEUS) || !Files.isExecutable(PROMTOOL)) {
            throw new IOException("prometheus and promtool are still missing after " + script + "; see " + log);
        }
    }

    private static void run(List<String> command, Path log, Duration timeout) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.getFirst() + " ran longer than " + timeout + "; see " + log);
        }
        if (process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited with " + process.exitValue() + ": "
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
    }

    /** The first port of 19190-19199 nothing listens on (the range this module's tests own). */
    private static int freePort() {
        for (int port = FIRST_PORT; port <= LAST_PORT; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // try the next
            }
        }
        throw new UncheckedIOException(new IOException("every port of " + FIRST_PORT + "-" + LAST_PORT + " is taken"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
