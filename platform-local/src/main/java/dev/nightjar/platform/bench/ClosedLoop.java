package dev.nightjar.platform.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongFunction;

/**
 * A closed-loop load generator: {@code concurrency} clients on virtual threads, each sending its next
 * request only after the answer to the last, over one pooled keep-alive HTTP client. Measures throughput
 * and exact latency percentiles.
 */
final class ClosedLoop {

    /** What one run measured. */
    record Result(String name, long requests, double seconds, Map<Integer, Long> statuses, LatencyRecorder latencies) {

        double perSecond() {
            return requests / seconds;
        }

        void print(PrintStream out) {
            out.printf("""
                    %-14s %d in %.1f s: %.0f per second
                    statuses       %s
                    latency (ms)   p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f
                    """, name, requests, seconds, perSecond(), statuses, latencies.percentileMillis(0.50),
                    latencies.percentileMillis(0.90), latencies.percentileMillis(0.99), latencies.percentileMillis(0.999),
                    latencies.percentileMillis(1.0));
        }
    }

    private ClosedLoop() {
    }

    /**
     * Sends {@code request.apply(n)} for n = 0, 1, … from {@code concurrency} clients until {@code duration}
     * has passed (or {@code maxRequests} were sent); hands every answer to {@code onResponse}.
     */
    static Result run(String name, HttpClient client, int concurrency, Duration duration, long maxRequests,
                      LongFunction<HttpRequest> request, BiConsumer<Long, HttpResponse<String>> onResponse)
            throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        LatencyRecorder latencies = new LatencyRecorder();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Runnable> loops = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                loops.add(() -> {
                    while (true) {
                        long n = issued.getAndIncrement();
                        if (n >= maxRequests || System.nanoTime() >= deadline) {
                            return;
                        }
                        long sent = System.nanoTime();
                        int status;
                        try {
                            HttpResponse<String> response = client.send(request.apply(n), HttpResponse.BodyHandlers.ofString());
                            status = response.statusCode();
                            onResponse.accept(n, response);
                        } catch (IOException e) {
                            status = -1;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies.record(System.nanoTime() - sent);
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
            loops.forEach(clients::submit);
        }
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, count) -> counts.put(status, count.get()));
        if (counts.keySet().stream().noneMatch(status -> status >= 200 && status < 300)) {
            throw new IllegalStateException(name + ": no request succeeded (statuses " + counts
                    + ", -1 = no answer); is the platform up? (./nightjar status)");
        }
        return new Result(name, latencies.count(), (System.nanoTime() - start) / 1e9, counts, latencies);
    }

    static HttpClient client(javax.net.ssl.SSLContext tls) {
        return HttpClient.newBuilder()
                .sslContext(tls)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }
}
