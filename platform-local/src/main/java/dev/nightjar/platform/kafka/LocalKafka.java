package dev.nightjar.platform.kafka;

import dev.nightjar.contracts.event.Topic;
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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker in KRaft mode (broker and controller in one process), run from the Maven Central
 * jars on this JVM's class path as a process of its own, with data and logs in one directory.
 */
public final class LocalKafka {

    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path home;
    private final int port;
    private final int controllerPort;
    private final Path logFile;
    private final PidFile pidFile;

    public LocalKafka(Path home, int port, int controllerPort, Path logFile, Path pidFile) {
        this.home = home;
        this.port = port;
        this.controllerPort = controllerPort;
        this.logFile = logFile;
        this.pidFile = new PidFile(pidFile);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean isRunning() {
        return pidFile.live().isPresent();
    }

    public java.util.Optional<ProcessHandle> process() {
        return pidFile.live();
    }

    /**
     * Starts the broker unless it runs; formats its storage on the very first start. Anything still working
     * in the broker's directory without being the recorded broker (a broker whose pid file is gone) is killed
     * first: it would hold the log directory's lock.
     */
    public void start() {
        if (isRunning()) {
            return;
        }
        Path config = writeConfig();
        DirectoryProcesses.killAll(home, STOP_GRACE);
        Path dataDir = home.resolve("data");
        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Processes.run(List.of(Processes.javaExecutable(), "-Xmx256m", "-cp", Processes.classPath(),
                            "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"),
                            "kafka.tools.StorageTool", "format", "--standalone",
                            "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString()),
                    home, logFile);
        }
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable(),
                "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.awt.headless=true",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties")));
        command.addAll(Processes.javaOptionsFromEnvironment("NIGHTJAR_KAFKA_JAVA_OPTIONS"));
        command.addAll(List.of("-cp", Processes.classPath(), "kafka.Kafka", config.toString()));
        Process process = Processes.startDetached(command, home, logFile, Map.of());
        pidFile.write(process.toHandle());
    }

    /** Waits until the broker answers metadata requests. */
    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        RuntimeException last = null;
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("the Kafka broker exited during start; see " + logFile);
            }
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
                last = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            Poll.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("the Kafka broker was not ready within " + timeout + "; see " + logFile, last);
    }

    /**
     * Creates the topics that do not exist yet. Event topics keep history for {@code retention}; keys are
     * merchant ids, so {@code partitions} bounds the parallelism per topic.
     */
    public void ensureTopics(Collection<Topic<?>> topics, int partitions, Duration retention) {
        ensure(topics.stream().map(topic -> newTopic(topic.name(), topic.compacted(), partitions, retention)).toList());
    }

    /** Creates plain event topics (dead-letter topics, say) by name. */
    public void ensureTopicNames(Collection<String> names, int partitions, Duration retention) {
        ensure(names.stream().map(name -> newTopic(name, false, partitions, retention)).toList());
    }

    private static NewTopic newTopic(String name, boolean compacted, int partitions, Duration retention) {
        return new NewTopic(name, partitions, (short) 1).configs(Map.of(
                "cleanup.policy", compacted ? "compact" : "delete",
                "retention.ms", Long.toString(retention.toMillis()),
                "min.insync.replicas", "1"));
    }

    private void ensure(List<NewTopic> wanted) {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("could not create topics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Controlled shutdown (SIGTERM); killed if it has not finished within 30 seconds. */
    public void stop() {
        pidFile.live().ifPresent(process -> PidFile.terminate(process, STOP_GRACE));
        pidFile.delete();
    }

    public Admin admin() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(properties);
    }

    private Path writeConfig() {
        try {
            Files.createDirectories(home);
            Path config = home.resolve("server.properties");
            Files.writeString(config, """
                    # Written by the Nightjar local platform.
                    process.roles=broker,controller
                    node.id=1
                    controller.quorum.bootstrap.servers=127.0.0.1:%2$d
                    listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                    advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                    controller.listener.names=CONTROLLER
                    listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
                    inter.broker.listener.name=PLAINTEXT
                    log.dirs=%3$s
                    num.partitions=6
                    auto.create.topics.enable=false
                    offsets.topic.replication.factor=1
                    transaction.state.log.replication.factor=1
                    transaction.state.log.min.isr=1
                    share.coordinator.state.topic.replication.factor=1
                    share.coordinator.state.topic.min.isr=1
                    group.initial.rebalance.delay.ms=0
                    # After a SIGKILL the restarted broker cannot register until its previous registration's session
                    # expires (9 s by default); both run in this one process on loopback, so 4 s is ample.
                    broker.session.timeout.ms=4000
                    broker.heartbeat.interval.ms=1000
                    log.retention.hours=168
                    log.segment.bytes=134217728
                    """.formatted(port, controllerPort, home.resolve("data")));
            Files.writeString(home.resolve("log4j2.properties"), """
                    status = warn
                    appender.out.type = Console
                    appender.out.name = OUT
                    appender.out.layout.type = PatternLayout
                    appender.out.layout.pattern = [%d] %p %m (%c)%n
                    rootLogger.level = INFO
                    rootLogger.appenderRef.out.ref = OUT
                    logger.state.name = state.change.logger
                    logger.state.level = WARN
                    logger.request.name = kafka.request.logger
                    logger.request.level = WARN
                    """);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
