package dev.nightjar.forecaster.bench;

import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.prometheus.RealPrometheus;
import dev.nightjar.forecaster.prometheus.RealPrometheus.RequestCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The forecaster process' footprint (docs/autoscaling.md): a real Prometheus with four weeks of seven services'
 * request counters, the runnable jar started against it with the chart's JVM flags, then from its own /metrics the
 * CPU time of its first run (start, four weeks read, seven fits) and of later runs, and its heap after a full GC.
 * Arguments: the runnable jar, a port for it. A benchmark run by hand, so it polls once a second.
 */
public final class ForecasterFootprint {

    private static final String[] SERVICES = {"gateway-service", "vault-service", "transaction-service", "auth-service",
            "risk-service", "ledger-service", "settlement-service"};
    private static final int DAYS = 28;
    private static final int STEADY_RUNS = 12;
    private static final int INTERVAL_SECONDS = 10;
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ForecasterFootprint() {
    }

    public static void main(String[] arguments) throws Exception {
        Path jar = Path.of(arguments[0]);
        int port = Integer.parseInt(arguments[1]);
        Path directory = Files.createTempDirectory("forecaster-footprint");
        long nowMinute = Instant.now().getEpochSecond() / 60;
        long start = nowMinute - DAYS * 1_440L;
        List<RequestCounter> counters = new ArrayList<>();
        for (int i = 0; i < SERVICES.length; i++) {
            double[] rates = new SyntheticTraffic(100 + 50 * i, 0.04, 0.06, Optional.empty(), i).generate(start, DAYS * 1_440);
            counters.add(new RequestCounter("service=\"" + SERVICES[i] + "\",uri=\"/x\"", start, rates));
        }
        long importStart = System.nanoTime();
        try (RealPrometheus prometheus = RealPrometheus.start(directory,
                writer -> RealPrometheus.writeRequestCounters(writer, 30, counters))) {
            System.out.printf(Locale.ROOT, "Prometheus with %d services x %d days of 30 s samples ready after %.0f s%n",
                    SERVICES.length, DAYS, (System.nanoTime() - importStart) / 1e9);
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:MaxRAMPercentage=50.0", "-Xmx80m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-jar", jar.toString())
                    .redirectErrorStream(true).redirectOutput(directory.resolve("forecaster.log").toFile());
            builder.environment().putAll(Map.of(
                    "NIGHTJAR_FORECASTER_PROMETHEUS_URL", prometheus.url().toString(),
                    "NIGHTJAR_FORECASTER_PORT", Integer.toString(port),
                    "NIGHTJAR_FORECASTER_LISTEN_HOST", "127.0.0.1",
                    "NIGHTJAR_FORECASTER_INTERVAL_SECONDS", Integer.toString(INTERVAL_SECONDS)));
            Process forecaster = builder.start();
            forecaster.getOutputStream().close();
            try {
                measure(forecaster, URI.create("http://127.0.0.1:" + port + "/metrics"));
            } finally {
                forecaster.destroy();
                forecaster.waitFor(10, TimeUnit.SECONDS);
                System.out.println("forecaster log: " + directory.resolve("forecaster.log"));
            }
        }
    }

    private static void measure(Process forecaster, URI metrics) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String exposition = poll(metrics, deadline, text -> count(text, "nightjar_forecast_requests_per_second{") == 3 * SERVICES.length);
        double firstCpu = value(exposition, "process_cpu_time_ns_total") / 1e9;
        double firstFit = value(exposition, "nightjar_forecast_last_fit_timestamp_seconds");
        System.out.printf(Locale.ROOT, "first run done: %d forecasts; CPU since the JVM started %.1f s%n",
                count(exposition, "nightjar_forecast_requests_per_second{"), firstCpu);
        double lastFit = firstFit;
        int runs = 0;
        String latest = exposition;
        while (runs < STEADY_RUNS) {
            double previous = lastFit;
            latest = poll(metrics, deadline, text -> value(text, "nightjar_forecast_last_fit_timestamp_seconds") > previous);
            lastFit = value(latest, "nightjar_forecast_last_fit_timestamp_seconds");
            runs++;
        }
        double steadyCpu = value(latest, "process_cpu_time_ns_total") / 1e9 - firstCpu;
        System.out.printf(Locale.ROOT, "%d later runs over %.0f s: CPU %.2f s in all, %.0f ms a run (scrapes included)%n",
                runs, lastFit - firstFit, steadyCpu, 1000 * steadyCpu / runs);
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(forecaster.pid()), "GC.run").redirectErrorStream(true).start();
        gc.waitFor(30, TimeUnit.SECONDS);
        String afterGc = get(metrics);
        double heap = sum(afterGc, "jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)");
        double nonHeap = sum(afterGc, "jvm_memory_used_bytes\\{area=\"nonheap\"[^}]*} (\\S+)");
        String rss = Files.readAllLines(Path.of("/proc", Long.toString(forecaster.pid()), "status")).stream()
                .filter(line -> line.startsWith("VmRSS")).findFirst().orElse("VmRSS: ?");
        System.out.printf(Locale.ROOT, "after a full GC: heap used %.1f MiB, non-heap %.1f MiB; %s%n",
                heap / 1048576, nonHeap / 1048576, rss.replaceAll("\\s+", " "));
    }

    private static String poll(URI metrics, Instant deadline, java.util.function.Predicate<String> done) throws Exception {
        while (Instant.now().isBefore(deadline)) {
            try {
                String text = get(metrics);
                if (done.test(text)) {
                    return text;
                }
            } catch (java.io.IOException notYet) {
                // the process is still starting
            }
            Thread.sleep(1_000);
        }
        throw new IllegalStateException("the forecaster did not get there within " + DEADLINE);
    }

    private static String get(URI metrics) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static int count(String text, String needle) {
        int count = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            count++;
        }
        return count;
    }

    private static double value(String text, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(2)) : Double.NaN;
    }

    private static double sum(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        double sum = 0;
        while (matcher.find()) {
            sum += Double.parseDouble(matcher.group(1));
        }
        return sum;
    }
}
