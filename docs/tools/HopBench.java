import dev.nightjar.common.http.PooledHttp;
import dev.nightjar.common.security.NativeCrypto;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * The CPU of one internal hop, caller and callee, measured on a running local platform: risk-service's decision
 * endpoint called as transaction-service calls it (its certificate, the services' pooled client, the native
 * provider), four calls at a time. Each round reports risk-service's CPU (from /proc) and this JVM's per call.
 *
 * <pre>
 * ./mvnw -q -o dependency:build-classpath -pl common-lib -Dmdep.outputFile=/tmp/cp.txt
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp common-lib/target/classes:$(cat /tmp/cp.txt) \
 *     docs/tools/HopBench.java bodies 10000 8        # bodies sent whole, then chunked, in turn each round
 * java ... docs/tools/HopBench.java handshakes 1500 3   # every call on a new connection (a resumed handshake)
 * </pre>
 *
 * Run from the repository's root with the platform up ({@code ./nightjar up}); add
 * {@code -Djdk.tls.namedGroups=...} to choose the key exchange this client offers first, and
 * {@code -Dhop.port=9199 -Dhop.pid=PID} to call another server on the same certificates instead of risk-service
 * (docs/tools/BareHopServer.java: the JDK's own HTTPS server answering the same bytes, the floor of a hop).
 */
public class HopBench {

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int calls = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        System.out.println("crypto: " + NativeCrypto.install().detail());
        long server = serverPid();
        Path tls = Path.of(".nightjar/tls");
        SslBundle ssl = SslBundle.of(new PemSslStoreBundle(
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("transaction-service.crt")))
                        .withPrivateKey(Files.readString(tls.resolve("transaction-service.key"))),
                PemSslStoreDetails.forCertificate(Files.readString(tls.resolve("ca.crt")))));
        ClientHttpRequestFactory whole = PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(10), ssl);
        // the factory WholeBodies wraps: Spring's streaming request, which sends a body chunked
        Field inner = Class.forName("dev.nightjar.common.http.WholeBodies").getDeclaredField("delegate");
        inner.setAccessible(true);
        ClientHttpRequestFactory chunked = (ClientHttpRequestFactory) inner.get(
                PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(10), ssl));
        boolean handshakes = mode.equals("handshakes");
        Map<String, RestClient> clients = handshakes
                ? Map.of("new connection, " + System.getProperty("jdk.tls.namedGroups", "the JDK's groups"), client(whole))
                : new java.util.LinkedHashMap<>(Map.of("whole", client(whole)));
        if (!handshakes) {
            clients.put("chunked", client(chunked));
        }
        for (RestClient client : clients.values()) {
            run(client, 3000, handshakes, "warm");
        }
        var cpu = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < rounds; round++) {
            for (var each : clients.entrySet()) {
                long server0 = processCpuNanos(server);
                long client0 = cpu.getProcessCpuTime();
                run(each.getValue(), calls, handshakes, round + each.getKey());
                System.out.printf("round %d  %-40s callee %6.1f us a call   caller %6.1f us a call%n", round,
                        each.getKey(), (processCpuNanos(server) - server0) / 1000.0 / calls,
                        (cpu.getProcessCpuTime() - client0) / 1000.0 / calls);
            }
        }
        System.exit(0);
    }

    private static RestClient client(ClientHttpRequestFactory factory) {
        return RestClient.builder().requestFactory(factory)
                .baseUrl("https://localhost:" + System.getProperty("hop.port", "9104")).build();
    }

    private static void run(RestClient client, int calls, boolean close, String tag) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (var callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int caller = 0; caller < 4; caller++) {
                callers.submit(() -> {
                    for (int i = next.getAndIncrement(); i < calls; i = next.getAndIncrement()) {
                        client.post().uri("/internal/v1/decisions")
                                .headers(headers -> {
                                    if (close) {
                                        headers.set("Connection", "close");
                                    }
                                })
                                .body(Map.of("payment_id", "pay_hop_" + tag.hashCode() + "_" + i, "merchant_id", "mer_hop",
                                        "amount_minor", 1999, "currency", "EUR"))
                                .retrieve().toBodilessEntity();
                    }
                    return null;
                });
            }
        }
    }

    private static long serverPid() throws Exception {
        String pid = System.getProperty("hop.pid");
        if (pid != null) {
            return Long.parseLong(pid);
        }
        return Long.parseLong(Files.readString(Path.of(".nightjar/run/risk-service.pid")).trim().split("\\s+")[0]);
    }

    /** user and system time of a process, from /proc (clock ticks of 10 ms). */
    private static long processCpuNanos(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }
}
