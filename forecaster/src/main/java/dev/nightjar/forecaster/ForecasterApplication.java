package dev.nightjar.forecaster;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightjar.forecaster.export.ForecastMetrics;
import dev.nightjar.forecaster.prometheus.PrometheusClient;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The forecaster process: a run of {@link Forecaster} every interval, and an HTTP server with {@code /metrics}
 * (Prometheus text) and {@code /healthz} (200 while runs keep completing).
 */
public final class ForecasterApplication implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ForecasterApplication.class.getName());
    private static final int HTTP_THREADS = 2;
    private static final int HTTP_BACKLOG = 16;
    /** Healthy while the last run completed within this many intervals (a run is bounded by its request timeouts). */
    private static final int HEALTHY_INTERVALS = 5;

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService runs;
    private final ForecastMetrics metrics;
    private final CompletableFuture<Void> firstRun;

    private ForecasterApplication(HttpServer server, ExecutorService httpThreads, ScheduledExecutorService runs,
                                  ForecastMetrics metrics, CompletableFuture<Void> firstRun) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.runs = runs;
        this.metrics = metrics;
        this.firstRun = firstRun;
    }

    public static void main(String[] arguments) throws IOException {
        JsonLogFormatter.install();
        ForecasterSettings settings = ForecasterSettings.fromEnvironment(System.getenv());
        ForecasterApplication application = start(settings, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(application::close, "shutdown"));
        LOG.log(Level.INFO, "forecaster serving /metrics on " + settings.listenHost() + ":" + application.port()
                + ", reading " + settings.prometheusUrl());
    }

    /** Starts the runs (the first at once) and the HTTP server. */
    public static ForecasterApplication start(ForecasterSettings settings, Clock clock) throws IOException {
        ForecastMetrics metrics = new ForecastMetrics();
        PrometheusClient prometheus = PrometheusClient.create(settings.prometheusUrl(), settings.prometheusCaFile(),
                settings.requestTimeout());
        Forecaster forecaster = new Forecaster(settings, prometheus, metrics, clock);
        Instant started = clock.instant();
        Duration healthyWithin = settings.interval().multipliedBy(HEALTHY_INTERVALS);

        HttpServer server = HttpServer.create(new InetSocketAddress(settings.listenHost(), settings.listenPort()), HTTP_BACKLOG);
        ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, Thread.ofPlatform().name("http-", 0).factory());
        server.setExecutor(httpThreads);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", metrics.scrape()));
        server.createContext("/healthz", exchange -> {
            Instant last = forecaster.lastRunCompleted().orElse(started);
            boolean healthy = Duration.between(last, clock.instant()).compareTo(healthyWithin) <= 0;
            respond(exchange, healthy ? 200 : 503, "text/plain; charset=utf-8", healthy ? "ok\n" : "no run completed since " + last + "\n");
        });
        server.start();

        CompletableFuture<Void> firstRun = new CompletableFuture<>();
        ScheduledExecutorService runs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("forecast").factory());
        runs.scheduleAtFixedRate(() -> {
            runGuarded(forecaster);
            firstRun.complete(null);
        }, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return new ForecasterApplication(server, httpThreads, runs, metrics, firstRun);
    }

    /** Completes when the first run has finished (with forecasts or not). */
    public CompletableFuture<Void> firstRunCompleted() {
        return firstRun;
    }

    /** The port the HTTP server listens on (the one given, or the one the system chose for 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** A run that throws would cancel every later one: log it and let the next run try again. */
    private static void runGuarded(Forecaster forecaster) {
        try {
            forecaster.runOnce();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "forecast run failed", e);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        try (exchange) {
            // A context matches every path it prefixes: /metrics, not /metricsfoo or /metrics/x.
            if (!exchange.getRequestURI().getPath().equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
            if (!head) {
                try (OutputStream output = exchange.getResponseBody()) {
                    output.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        runs.shutdownNow();
        server.stop(1);
        httpThreads.shutdownNow();
        metrics.close();
    }
}
