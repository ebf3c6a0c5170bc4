package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.Poll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Highly available PostgreSQL for the local platform: Patroni clusters of three nodes each, coordinated
 * through one etcd, every process on loopback. Each database lives on one cluster; services reach its
 * primary through a multi-host JDBC URL, so a failover needs no configuration change.
 * <p>
 * Debian's {@code patroni}, {@code etcd-server} and {@code postgresql-15} are installed by
 * {@code bin/ha-packages.sh} when missing (as root, which HA mode needs anyway: Patroni runs as the
 * {@code postgres} OS user).
 */
public final class PatroniPostgres implements PlatformDatabase {

    private static final Duration WRITABLE_TIMEOUT = Duration.ofSeconds(180);

    /** Where a node listens. */
    public record NodeSpec(String name, int postgresPort, int restApiPort) {
    }

    /** A cluster: its name (Patroni's scope), the databases it holds, and its nodes. */
    public record ClusterSpec(String name, List<String> databases, List<NodeSpec> nodes) {

        public ClusterSpec {
            databases = List.copyOf(databases);
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * Where things go and what they need.
     *
     * @param home                each node's directory and etcd's go under it; the {@code postgres} user must be
     *                            able to reach it (every parent directory searchable by others)
     * @param logs                log files: {@code etcd.log} and one per node (PostgreSQL's server log)
     * @param run                 pid files
     * @param packageInstaller    the script that installs the Debian packages when they are missing
     * @param superuserPassword   of the {@code postgres} role
     * @param replicationPassword of the {@code replicator} role the replicas stream as
     */
    public record Settings(Path home, Path logs, Path run, Path packageInstaller, String superuserPassword,
                           String replicationPassword, PatroniTimings timings, int etcdPort, int etcdPeerPort) {
    }

    private final Settings settings;
    private final LocalEtcd etcd;
    private final List<PatroniCluster> clusters;

    public PatroniPostgres(Settings settings, List<ClusterSpec> clusterSpecs) {
        this.settings = settings;
        Path home = settings.home().toAbsolutePath().normalize();
        this.etcd = new LocalEtcd(home.resolve("etcd"), settings.etcdPort(), settings.etcdPeerPort(),
                settings.logs().resolve("etcd.log"), settings.run().resolve("etcd.pid"));
        this.clusters = clusterSpecs.stream().map(spec -> new PatroniCluster(spec.name(), spec.databases(),
                spec.nodes().stream().map(node -> new PatroniNode(node.name(), home.resolve(node.name()),
                        node.postgresPort(), node.restApiPort(), settings.logs().resolve(node.name() + ".log"),
                        settings.run().resolve(node.name() + ".patroni.pid"))).toList(),
                settings.superuserPassword(), settings.replicationPassword())).toList();
    }

    @Override
    public Optional<LocalEtcd> etcd() {
        return Optional.of(etcd);
    }

    /**
     * Installs the packages if missing, starts etcd and every node that is not running (clearing what dead
     * ones left behind), then waits until every cluster has a writable primary with a synchronous standby.
     * A node started here that is not needed for that (a former primary rejoining through pg_rewind, which
     * takes a while) keeps rejoining after this returns; {@link #clusters()} shows when it is back.
     */
    @Override
    public void start() {
        HaPackages.ensureInstalled(settings.packageInstaller(), settings.logs().resolve("ha-packages.log"));
        requireReachableByPostgres(settings.home());
        etcd.start();
        List<PatroniNode> started = new ArrayList<>();
        for (PatroniCluster cluster : clusters) {
            for (PatroniNode node : cluster.nodes()) {
                if (node.start(cluster.config(node, etcd.endpoint(), settings.timings()))) {
                    started.add(node);
                }
            }
        }
        for (PatroniCluster cluster : clusters) {
            Poll.until("a writable primary with a synchronous standby in cluster " + cluster.name() + " (logs: "
                    + settings.logs() + " and each node's log/ directory)", WRITABLE_TIMEOUT, () -> {
                requireAlive(started);
                return cluster.isWritable();
            });
            cluster.applyDynamicSettings(settings.timings());
        }
    }

    /** Stops the replicas of every cluster, then the primaries (so no replica is promoted on the way down), then etcd. */
    @Override
    public void stop(Duration timeout) {
        List<PatroniNode> replicas = new ArrayList<>();
        List<PatroniNode> leaders = new ArrayList<>();
        for (PatroniCluster cluster : clusters) {
            Optional<String> leader = cluster.snapshot().leader().map(DatabaseNode::name);
            for (PatroniNode node : cluster.nodes()) {
                (leader.isPresent() && leader.get().equals(node.name()) ? leaders : replicas).add(node);
            }
        }
        stopAll(replicas, timeout);
        stopAll(leaders, timeout);
        etcd.stop(timeout);
    }

    @Override
    public boolean isRunning() {
        return etcd.isRunning() || nodes().stream().anyMatch(node -> node.patroni().isPresent() || node.postmaster().isPresent());
    }

    @Override
    public String jdbcUrl(String database) {
        return clusterHolding(database).jdbcUrl(database);
    }

    @Override
    public Connection connect(String database) throws SQLException {
        return clusterHolding(database).connect(database);
    }

    /** Roles are per cluster in PostgreSQL: each is made on every cluster, so any service may use any of them. */
    @Override
    public void ensureRole(String role, String password) {
        for (PatroniCluster cluster : clusters) {
            Provisioning.ensureRole(cluster::connect, role, password);
        }
    }

    @Override
    public void ensureDatabase(String database, String owner, String appRole) {
        PatroniCluster cluster = clusters.stream().filter(candidate -> candidate.databases().contains(database)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no cluster is to hold database " + database));
        Provisioning.ensureDatabase(cluster::connect, database, owner, appRole);
    }

    @Override
    public List<DatabaseCluster> clusters() {
        return clusters.stream().map(PatroniCluster::snapshot).toList();
    }

    @Override
    public void kill(DatabaseNode node) {
        nodes().stream().filter(candidate -> candidate.name().equals(node.name())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no such node: " + node.name()))
                .kill();
    }

    /** The PostgreSQL server log of a node (Patroni's own log is in the node's {@code log/} directory). */
    public Path log(DatabaseNode node) {
        return settings.logs().resolve(node.name() + ".log");
    }

    private List<PatroniNode> nodes() {
        return clusters.stream().flatMap(cluster -> cluster.nodes().stream()).toList();
    }

    /** The cluster holding {@code database}; databases that live on every cluster ({@code postgres}) go to the first. */
    private PatroniCluster clusterHolding(String database) {
        return clusters.stream().filter(cluster -> cluster.databases().contains(database)).findFirst()
                .orElse(clusters.get(0));
    }

    private static void requireAlive(List<PatroniNode> nodes) {
        for (PatroniNode node : nodes) {
            if (node.patroni().isEmpty()) {
                throw new IllegalStateException("Patroni of " + node.name() + " exited during start; see "
                        + node.logFile() + " and " + node.home().resolve("log/patroni.log"));
            }
        }
    }

    private static void stopAll(List<PatroniNode> nodes, Duration timeout) {
        try (ExecutorService stoppers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stops = new ArrayList<>();
            nodes.forEach(node -> stops.add(stoppers.submit(() -> node.stop(timeout))));
            for (Future<?> stop : stops) {
                Poll.await(stop);
            }
        }
    }

    /** Patroni runs as {@code postgres}, which must be able to enter every directory down to its node's home. */
    private static void requireReachableByPostgres(Path home) {
        try {
            Files.createDirectories(home);
            for (Path directory = home.toAbsolutePath().normalize(); directory != null; directory = directory.getParent()) {
                if (!Files.getPosixFilePermissions(directory).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    throw new IllegalStateException("the postgres OS user, which runs Patroni, cannot enter " + directory
                            + "; allow it with chmod o+x (HA mode keeps its data under " + home + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
