package dev.nightjar.platform;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.kafka.LocalKafka;
import dev.nightjar.platform.observe.LocalPrometheus;
import dev.nightjar.platform.observe.LocalZipkin;
import dev.nightjar.platform.pki.LocalCertificateAuthority;
import dev.nightjar.platform.postgres.DatabaseCluster;
import dev.nightjar.platform.postgres.DatabaseNode;
import dev.nightjar.platform.postgres.LocalEtcd;
import dev.nightjar.platform.postgres.PlatformDatabase;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import dev.nightjar.platform.process.Processes;
import dev.nightjar.platform.process.ThreadDumps;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The local platform: a real PostgreSQL server (or, with {@link DatabaseMode#HA}, Patroni clusters), a Kafka broker, the acquirer simulator and every service,
 * each its own process, all state under one directory. {@link #up()} is idempotent: it starts only what
 * is not running and keeps every earlier payment.
 */
public final class Platform {

    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(300);
    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    private static final Duration CACHE_WRITING_STOP_GRACE = Duration.ofSeconds(240);
    private static final int TOPIC_PARTITIONS = 6;
    private static final Duration TOPIC_RETENTION = Duration.ofDays(7);

    private final PlatformLayout layout;
    private final PrintStream out;
    private final Secrets secrets;
    private final DatabaseMode databaseMode;
    private final PlatformDatabase database;
    private final LocalKafka kafka;

    /** The platform in the database mode its state directory was made with (a single server for a new one). */
    public Platform(PlatformLayout layout, PrintStream out) {
        this(layout, out, DatabaseMode.choose(layout, Optional.empty()));
    }

    public Platform(PlatformLayout layout, PrintStream out, DatabaseMode databaseMode) {
        this(layout, out, Secrets.load(layout.secretsFile()), databaseMode);
    }

    private Platform(PlatformLayout layout, PrintStream out, Secrets secrets, DatabaseMode databaseMode) {
        this(layout, out, secrets, databaseMode, PlatformDatabases.create(databaseMode, layout, secrets),
                new LocalKafka(layout.kafkaHome(), layout.ports().kafka(), layout.ports().kafkaController(),
                        layout.log("kafka"), layout.pid("kafka")));
    }

    private Platform(PlatformLayout layout, PrintStream out, Secrets secrets, DatabaseMode databaseMode,
                     PlatformDatabase database, LocalKafka kafka) {
        this.layout = layout;
        this.out = out;
        this.secrets = secrets;
        this.databaseMode = databaseMode;
        this.database = database;
        this.kafka = kafka;
    }

    public PlatformLayout layout() {
        return layout;
    }

    /**
     * The same platform, reporting its steps to {@code output} (a quiet {@code up} between chaos faults, say).
     * It shares this one's database and broker handles: the server this JVM started holds zonky's lock on its
     * data directory, and only that handle can release it before a second start.
     */
    public Platform withOutput(PrintStream output) {
        return new Platform(layout, output, secrets, databaseMode, database, kafka);
    }

    /** Its PostgreSQL: one server or the HA clusters; {@code connect} always reaches a primary. */
    public PlatformDatabase database() {
        return database;
    }

    public DatabaseMode databaseMode() {
        return databaseMode;
    }

    public LocalKafka kafka() {
        return kafka;
    }

    /** Prometheus, scraping the fleet with the repository's rules loaded. */
    public LocalPrometheus prometheus() {
        return new LocalPrometheus(layout);
    }

    /** The trace store the services send their spans to. */
    public LocalZipkin zipkin() {
        return new LocalZipkin(layout.zipkinJar(), layout.observe().resolve("zipkin"), layout.ports().zipkin(),
                layout.log("zipkin"), layout.pid("zipkin"));
    }

    /** What {@code up} leaves behind for the user: where the gateway is and the demo merchant's credentials. */
    public record DemoMerchant(String gatewayUrl, String merchantId, String clientId, String clientSecret, String caFile) {
    }

    /** Starts whatever is not running, waits until everything is healthy, seeds the demo merchant. */
    public DemoMerchant up() {
        Instant started = Instant.now();
        bringBack();
        DemoMerchant demo = step("demo merchant", this::ensureDemoMerchant);
        out.printf("Nightjar is up in %.1f s.%n", Duration.between(started, Instant.now()).toMillis() / 1000.0);
        return demo;
    }

    /**
     * What {@code up} does before it seeds the demo merchant: starts every component that is not running (the
     * database and the broker included), leaves running ones alone, and returns when all are healthy.
     */
    public void bringBack() {
        requireJars();
        LocalZipkin zipkin = zipkin();
        // Zipkin takes tens of seconds to start: it does so while the database and the broker come up.
        step("zipkin started in the background", zipkin::start);
        LocalPrometheus prometheus = prometheus();
        step("prometheus on 127.0.0.1:" + layout.ports().prometheus(), () -> {
            prometheus.start();
            prometheus.awaitReady(Duration.ofSeconds(60));
        });
        step("certificates", this::ensureCertificates);
        databaseMode.record(layout);
        step(databaseMode == DatabaseMode.HA
                ? "postgresql: etcd on 127.0.0.1:" + layout.ports().etcd() + ", Patroni clusters " + clusterNames()
                : "postgresql on 127.0.0.1:" + layout.ports().postgres(), this::ensurePostgres);
        step("kafka on 127.0.0.1:" + layout.ports().kafka(), this::ensureKafka);
        step("zipkin on 127.0.0.1:" + layout.ports().zipkin(), () -> zipkin.awaitReady(Duration.ofSeconds(180)));
        step("services", this::ensureServices);
    }

    /** Stops every process this platform started, by pid; data stays for the next {@code up}. */
    public void down() {
        stopTwins();
        List<FleetMember> order = new ArrayList<>(List.of(FleetMember.values()));
        java.util.Collections.reverse(order);
        ServiceImages images = new ServiceImages(layout);
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stops = new ArrayList<>();
            for (FleetMember member : order) {
                stops.add(stoppers.submit(() -> stop(member, images)));
            }
            for (Future<?> stop : stops) {
                Poll.await(stop);
            }
        }
        LocalZipkin zipkin = zipkin();
        zipkin.process().ifPresent(process -> out.printf("  stopping %-19s pid %d%n", "zipkin", process.pid()));
        zipkin.stop();
        LocalPrometheus prometheus = prometheus();
        prometheus.process().ifPresent(process -> out.printf("  stopping %-19s pid %d%n", "prometheus", process.pid()));
        prometheus.stop();
        kafka.process().ifPresent(process -> out.printf("  stopping %-19s pid %d%n", "kafka", process.pid()));
        kafka.stop();
        for (DatabaseCluster cluster : database.clusters()) {
            for (DatabaseNode node : cluster.nodes()) {
                node.patroni().or(node::postmaster)
                        .ifPresent(process -> out.printf("  stopping %-19s pid %d%n", node.name(), process.pid()));
            }
        }
        database.stop(Duration.ofSeconds(60));
        out.println("Nightjar is down; its data stays in " + layout.state());
    }

    /**
     * Stops one service as {@code down} stops it (a graceful stop, then its pid file) and starts it again as {@code up}
     * starts it, on the jar the build holds now; every other component stays as it is. For a change to one service,
     * or a comparison of two builds of it, on a platform that keeps running.
     */
    public void restart(FleetMember member) {
        stop(member, new ServiceImages(layout));
        bringBack();
        process(member).ifPresent(process -> out.printf("%s is back, pid %d%n", member.instance(), process.pid()));
    }

    /**
     * Stops a second instance of a service that {@code docs/tools/bench-twin.sh} started ({@code <instance>-twin.pid})
     * and could not stop itself (the script killed): it would hold its ports and its database connections.
     */
    private void stopTwins() {
        for (FleetMember member : FleetMember.values()) {
            stop(member.instance() + "-twin", process -> SERVICE_STOP_GRACE);
        }
    }

    private void stop(FleetMember member, ServiceImages images) {
        // an instance writing its AOT cache at exit, all of them at once on two cores, needs longer
        stop(member.instance(), process ->
                images.writesCacheAtExit(member, process) ? CACHE_WRITING_STOP_GRACE : SERVICE_STOP_GRACE);
    }

    /** Stops the process of {@code instance}'s pid file, if it is still the one recorded, and removes the file. */
    private void stop(String instance, java.util.function.Function<ProcessHandle, Duration> grace) {
        PidFile pidFile = new PidFile(layout.pid(instance));
        pidFile.live().ifPresent(process -> {
            boolean killed = PidFile.terminate(process, grace.apply(process));
            out.printf("  stopped %-20s pid %d%s%n", instance, process.pid(), killed ? " (killed)" : "");
        });
        pidFile.delete();
    }

    /**
     * One line of {@code status}.
     *
     * @param pid  the process: for a Patroni node its Patroni process (the postmaster's pid is in {@code health})
     * @param role a database node's role in its cluster (leader, sync_standby, replica), null for the others
     */
    public record ComponentStatus(String name, Long pid, Integer port, String role, String health) {
    }

    public List<ComponentStatus> status() {
        List<ComponentStatus> statuses = new ArrayList<>(databaseStatus());
        statuses.add(new ComponentStatus("kafka", kafka.process().map(ProcessHandle::pid).orElse(null),
                layout.ports().kafka(), null, kafka.isRunning() ? kafkaHealth() : "stopped"));
        LocalZipkin zipkin = zipkin();
        statuses.add(new ComponentStatus("zipkin", zipkin.process().map(ProcessHandle::pid).orElse(null),
                layout.ports().zipkin(), null, !zipkin.isRunning() ? "stopped" : zipkin.isHealthy() ? "UP" : "DOWN"));
        LocalPrometheus prometheus = prometheus();
        statuses.add(new ComponentStatus("prometheus", prometheus.process().map(ProcessHandle::pid).orElse(null),
                layout.ports().prometheus(), null,
                !prometheus.isRunning() ? "stopped" : prometheus.isHealthy() ? "UP" : "DOWN"));
        PlatformClient client = Files.exists(layout.tls().resolve("ca.crt")) ? new PlatformClient(layout) : null;
        for (FleetMember member : FleetMember.values()) {
            Optional<ProcessHandle> process = new PidFile(layout.pid(member.instance())).live();
            String health = process.isEmpty() ? "stopped" : client == null ? "unknown" : health(client, member);
            statuses.add(new ComponentStatus(member.instance(), process.map(ProcessHandle::pid).orElse(null),
                    layout.ports().service(member), null, health));
        }
        return statuses;
    }

    /** Whether every service of the fleet runs: an {@code up} then starts none of them. */
    public boolean servicesRunning() {
        return servicesDown().isEmpty();
    }

    /** The fleet's services that do not run, in the fleet's order: those an {@code up} starts. */
    private List<FleetMember> servicesDown() {
        return Arrays.stream(FleetMember.values()).filter(member -> process(member).isEmpty()).toList();
    }

    /** The running process of a fleet member, if it runs. */
    public Optional<ProcessHandle> process(FleetMember member) {
        return new PidFile(layout.pid(member.instance())).live();
    }

    /** The demo merchant {@code up} made, if any. */
    public Optional<DemoMerchant> demoMerchant() {
        Path file = layout.demoMerchantFile();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readValue(file.toFile(), DemoMerchant.class));
    }

    /** Creates a merchant through the gateway's operator API; returns the API's JSON answer. */
    public String createMerchant(String name) {
        try {
            HttpResponse<String> response = new PlatformClient(layout).postJson(gatewayUrl() + "/internal/v1/merchants",
                    Json.MAPPER.writeValueAsString(Map.of("name", name)), Duration.ofSeconds(30));
            if (response.statusCode() != 201) {
                throw new IllegalStateException("the gateway refused to create the merchant (HTTP "
                        + response.statusCode() + "): " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("the gateway is not reachable at " + gatewayUrl() + "; is the platform up?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public String gatewayUrl() {
        return "https://localhost:" + layout.ports().gateway();
    }

    private void requireJars() {
        List<String> missing = new ArrayList<>();
        for (FleetMember member : FleetMember.values()) {
            if (!Files.isRegularFile(layout.serviceJar(member))) {
                missing.add(layout.repository().relativize(layout.serviceJar(member)).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("service jars are missing (build with ./mvnw -DskipTests package): " + missing);
        }
    }

    private void ensureCertificates() {
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(layout.tls());
        for (String identity : Identities.SERVICES) {
            ca.ensureWorkloadCertificate(identity);
        }
        ca.ensureWorkloadCertificate(Identities.OPERATOR);
    }

    private void ensurePostgres() {
        database.start();
        for (DatabaseCluster cluster : database.clusters()) {
            cluster.nodes().stream().filter(node -> !node.isHealthy()).forEach(node -> out.printf(
                    "    %-20s %s: rejoins %s in the background (./nightjar status)%n", node.name(), node.state(), cluster.name()));
        }
        for (FleetMember member : FleetMember.values()) {
            if (member.databases().isEmpty()) {
                continue;
            }
            database.ensureRole(member.ownerRole(), secrets.get("postgres." + member.ownerRole()));
            database.ensureRole(member.appRole(), secrets.get("postgres." + member.appRole()));
            for (String name : member.databases()) {
                database.ensureDatabase(name, member.ownerRole(), member.appRole());
            }
        }
    }

    private void ensureKafka() {
        kafka.start();
        kafka.awaitReady(Duration.ofSeconds(90));
        kafka.ensureTopics(Topics.ALL, TOPIC_PARTITIONS, TOPIC_RETENTION);
        kafka.ensureTopicNames(Topics.SUBSCRIPTIONS.stream().map(Topics.Subscription::deadLetterTopic).toList(),
                1, Duration.ofDays(30));
    }

    private void ensureServices() {
        ServiceImages images = new ServiceImages(layout);
        List<FleetMember> toStart = servicesDown();
        Map<FleetMember, Path> jars = new LinkedHashMap<>();
        try (ExecutorService extractors = Executors.newVirtualThreadPerTaskExecutor()) {
            Map<FleetMember, Future<Path>> extracted = new LinkedHashMap<>();
            for (FleetMember member : toStart) {
                extracted.put(member, extractors.submit(() -> images.prepare(member)));
            }
            extracted.forEach((member, jar) -> jars.put(member, Poll.await(jar)));
        }
        try {
            Files.createDirectories(layout.dumps());
            Files.createDirectories(layout.gcLogs());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (FleetMember member : toStart) {
            Path config = ServiceConfig.write(member, layout, secrets, database);
            Process process = Processes.startDetached(command(member, jars.get(member), images, config), layout.state(),
                    layout.log(member.instance()), Map.of());
            new PidFile(layout.pid(member.instance())).write(process.toHandle());
        }
        awaitHealthy(List.of(FleetMember.values()));
    }

    private List<String> command(FleetMember member, Path jar, ServiceImages images, Path config) {
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable(),
                // A service's heap starts at its maximum: Serial sizes the young generation from the heap committed,
                // and a heap started at 64 MB kept it at about 26 MB until a full collection grew it. At 200-300
                // payments a second that was two or three young collections a second, each promoting requests
                // still in flight, and the old generation filled into a full collection of 0.2-0.3 s every 5-16
                // minutes (docs/performance.md, "Heaps that start at their size"). A simulator's ZGC sizes itself.
                "-Xms" + (member.isAcquirer() ? 64 : member.heapMegabytes()) + "m",
                "-Xmx" + member.heapMegabytes() + "m",
                // The services' live data is tens of megabytes: Serial costs the least CPU. A simulator keeps up to
                // its record bound in memory (about 250 MB here): Serial's full collection of that stopped it for
                // 1.9 s at 220 payments/s, and G1's young collections copying it for 70-210 ms, a stall every
                // payment in flight waited out. ZGC moves it beside the application, for the same CPU a payment
                // (docs/performance.md, "Heaps that start at their size; the simulators on ZGC").
                member.isAcquirer() ? "-XX:+UseZGC" : "-XX:+UseSerialGC", "-Xss512k",
                // room enough that neither the code C1 writes at the first payments (a full collection each time the
                // cache grows by 15 % of its size) nor the classes loaded at start (metaspace past its first
                // threshold) stop the world: no full collection in a fresh fleet's first minutes (docs/performance.md,
                // "No full collection at the start")
                "-XX:ReservedCodeCacheSize=240m", "-XX:MetaspaceSize=128m",
                // C1 only: ten JVMs share two cores here, and C2 compiling all of them for minutes after a start
                // left the fleet slower than C1's code does (docs/performance.md, "Compilers on a shared box")
                "-XX:TieredStopAtLevel=1",
                // and compiled after a tenth of the usual invocations: the first minute after a start then runs on
                // C1's code instead of the interpreter (docs/performance.md, "The first minute: compile sooner")
                "-XX:CompileThresholdScaling=0.1",
                "-XX:+ExitOnOutOfMemoryError",
                // the native crypto provider's library loads without a warning (NativeCrypto)
                "--enable-native-access=ALL-UNNAMED",
                "-XX:+HeapDumpOnOutOfMemoryError", "-XX:HeapDumpPath=" + layout.dumps(),
                // every collection with its pause, so a slow minute can be told from a stopped world
                // (ZGC logs its pauses, each under a millisecond, with its phases)
                (member.isAcquirer() ? "-Xlog:gc,gc+phases:file=" : "-Xlog:gc:file=")
                        + layout.gcLogs().resolve(member.instance() + ".log") + ":time,uptime:filecount=2,filesize=5m",
                "-Dfile.encoding=UTF-8",
                "-Dnightjar.instance=" + member.instance()));
        command.addAll(images.sharingOptions(member));
        command.addAll(Processes.javaOptionsFromEnvironment("NIGHTJAR_JAVA_OPTIONS"));
        command.addAll(List.of("-jar", jar.toString(), "--spring.config.additional-location=file:" + config));
        return command;
    }

    private void awaitHealthy(List<FleetMember> members) {
        PlatformClient client = new PlatformClient(layout);
        Instant start = Instant.now();
        Instant deadline = start.plus(HEALTH_TIMEOUT);
        List<FleetMember> waiting = new ArrayList<>(members);
        Map<FleetMember, String> lastHealth = new LinkedHashMap<>();
        while (!waiting.isEmpty()) {
            for (FleetMember member : List.copyOf(waiting)) {
                if (new PidFile(layout.pid(member.instance())).live().isEmpty()) {
                    throw new IllegalStateException(member.instance() + " exited during start; last lines of "
                            + layout.log(member.instance()) + ":\n" + tail(layout.log(member.instance()), 25));
                }
                String health = health(client, member);
                lastHealth.put(member, health);
                if ("UP".equals(health)) {
                    waiting.remove(member);
                    out.printf("    %-20s healthy after %.1f s%n", member.instance(),
                            Duration.between(start, Instant.now()).toMillis() / 1000.0);
                }
            }
            if (!waiting.isEmpty()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(notHealthy(waiting, lastHealth));
                }
                Poll.pause(Duration.ofMillis(300));
            }
        }
    }

    /**
     * Which members are not healthy, what each last answered, the last lines of each one's log and, of one still
     * running, where it is stuck: its threads dumped to files beside its log, and in the message the main thread's
     * stack and what each virtual-thread carrier runs. The next start overwrites the log; the dumps stay.
     */
    private String notHealthy(List<FleetMember> waiting, Map<FleetMember, String> lastHealth) {
        StringBuilder message = new StringBuilder("not healthy within " + HEALTH_TIMEOUT + ": " + waiting);
        for (FleetMember member : waiting) {
            message.append("\n").append(member.instance()).append(": ").append(lastHealth.get(member))
                    .append("; last lines of ").append(layout.log(member.instance())).append(":\n")
                    .append(tail(layout.log(member.instance()), 15));
            new PidFile(layout.pid(member.instance())).live().ifPresent(process -> message.append(threads(member, process)));
        }
        return message.toString();
    }

    private String threads(FleetMember member, ProcessHandle process) {
        String stem = member.instance() + "-not-healthy-" + Instant.now().getEpochSecond();
        Optional<Path> printed = ThreadDumps.print(process.pid(), layout.logs().resolve(stem + ".threads.txt"));
        if (printed.isEmpty()) {
            return "\n(no thread dump of " + member.instance() + ")";
        }
        // the virtual threads' stacks after the platform threads', as walking them is the riskier of the two
        Optional<Path> all = ThreadDumps.withVirtualThreads(process.pid(),
                layout.logs().resolve(stem + ".virtual-threads.txt"));
        try {
            String print = Files.readString(printed.get());
            StringBuilder message = new StringBuilder("\n").append(member.instance()).append("'s threads are in ")
                    .append(printed.get()).append(all.map(file -> " and " + file).orElse("")).append("; its main thread:\n");
            ThreadDumps.stacks(print, "main"::equals, 40).forEach(stack -> message.append(stack).append("\n"));
            ThreadDumps.mounted(print, 40).forEach((carrier, stack) ->
                    message.append("carrier ").append(carrier).append(":\n").append(stack).append("\n"));
            return message.toString();
        } catch (IOException e) {
            return "\n" + member.instance() + "'s threads are in " + printed.get();
        }
    }

    private String health(PlatformClient client, FleetMember member) {
        try {
            HttpResponse<String> response = client.get("https://localhost:" + layout.ports().management(member)
                    + "/actuator/health", Duration.ofSeconds(3));
            if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                return "UP";
            }
            return "DOWN (" + downComponents(response.body(), "HTTP " + response.statusCode()) + ")";
        } catch (IOException e) {
            return "starting";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The health components that are not UP ("db, kafka"), so status says what a service is missing. */
    @SuppressWarnings("unchecked")
    static String downComponents(String healthJson, String fallback) {
        try {
            Map<String, Object> health = Json.MAPPER.readValue(healthJson, Map.class);
            Object components = health.get("components");
            if (!(components instanceof Map<?, ?> byName)) {
                return fallback;
            }
            List<String> down = new ArrayList<>();
            ((Map<String, Object>) byName).forEach((name, component) -> {
                if (component instanceof Map<?, ?> details && !"UP".equals(details.get("status"))) {
                    down.add(name.equals("db") || name.equals("shards") ? "database" : name.equals("kafka") ? "broker" : name);
                }
            });
            return down.isEmpty() ? fallback : String.join(", ", down) + " unreachable";
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private List<ComponentStatus> databaseStatus() {
        List<ComponentStatus> statuses = new ArrayList<>();
        database.etcd().ifPresent(etcd -> statuses.add(new ComponentStatus("etcd",
                etcd.process().map(ProcessHandle::pid).orElse(null), etcd.port(), null, etcdHealth(etcd))));
        for (DatabaseCluster cluster : database.clusters()) {
            for (DatabaseNode node : cluster.nodes()) {
                Long pid = node.patroni().or(node::postmaster).map(ProcessHandle::pid).orElse(null);
                String health = databaseMode == DatabaseMode.SINGLE ? postgresHealth(node) : patroniHealth(node);
                statuses.add(new ComponentStatus(node.name(), pid, node.port(),
                        databaseMode == DatabaseMode.HA ? node.role() : null, health));
            }
        }
        return statuses;
    }

    private String postgresHealth(DatabaseNode node) {
        if (node.postmaster().isEmpty()) {
            return "stopped";
        }
        try (var connection = database.connect("postgres"); var statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return "UP";
        } catch (java.sql.SQLException e) {
            return "DOWN";
        }
    }

    private static String patroniHealth(DatabaseNode node) {
        String postmaster = node.postmaster().map(process -> ", postmaster " + process.pid()).orElse(", no postmaster");
        return (node.isHealthy() ? "UP" : node.state()) + postmaster;
    }

    private static String etcdHealth(LocalEtcd etcd) {
        return !etcd.isRunning() ? "stopped" : etcd.isHealthy() ? "UP" : "DOWN";
    }

    private List<String> clusterNames() {
        return database.clusters().stream().map(DatabaseCluster::name).toList();
    }

    private String kafkaHealth() {
        try (var admin = kafka.admin()) {
            admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS);
            return "UP";
        } catch (Exception e) {
            return "DOWN";
        }
    }

    private DemoMerchant ensureDemoMerchant() {
        Path file = layout.demoMerchantFile();
        PlatformClient client = new PlatformClient(layout);
        try {
            if (Files.exists(file)) {
                DemoMerchant existing = Json.MAPPER.readValue(file.toFile(), DemoMerchant.class);
                HttpResponse<String> check = client.get(gatewayUrl() + "/internal/v1/merchants/" + existing.merchantId(),
                        Duration.ofSeconds(10));
                if (check.statusCode() == 200) {
                    return existing;
                }
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> created = Json.MAPPER.readValue(createMerchant("Demo Merchant"), Map.class);
            DemoMerchant demo = new DemoMerchant(gatewayUrl(), (String) created.get("merchant_id"),
                    (String) created.get("client_id"), (String) created.get("client_secret"),
                    layout.tls().resolve("ca.crt").toString());
            // Owner-only from its first byte: the file holds the demo merchant's client secret.
            StateFiles.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(demo));
            return demo;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void step(String name, Runnable action) {
        step(name, () -> {
            action.run();
            return null;
        });
    }

    private <T> T step(String name, java.util.function.Supplier<T> action) {
        Instant start = Instant.now();
        out.printf("  %s ...%n", name);
        T result = action.get();
        out.printf("  %s ready (%.1f s)%n", name, Duration.between(start, Instant.now()).toMillis() / 1000.0);
        return result;
    }

    /** The last lines of a log, each cut to 500 characters; reads only the file's last 64 KiB. */
    static String tail(Path file, int lines) {
        try (FileChannel channel = FileChannel.open(file)) {
            long from = Math.max(0, channel.size() - 65_536);
            ByteBuffer buffer = ByteBuffer.allocate((int) (channel.size() - from));
            while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) > 0) {
                // read until the buffer is full
            }
            List<String> all = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8)
                    .lines().map(line -> line.length() > 500 ? line.substring(0, 500) + " ..." : line).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
