package dev.nightjar.platform.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.ItEnvironment;
import dev.nightjar.platform.Ports;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.Poll;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real etcd and a real three-node Patroni cluster, started by the platform's own code: the primary's
 * machine is lost (Patroni and PostgreSQL SIGKILLed together) under a steady stream of commits.
 */
class PatroniClusterIT {

    private static final String DATABASE = "ha_it";
    private static final String OWNER = "ha_it_owner";
    private static final String OWNER_PASSWORD = "owner-password";
    private static final Duration WRITE_INTERVAL = Duration.ofMillis(20);

    private final Path dir = ItEnvironment.directory("patroni-cluster");
    private final PatroniPostgres database = cluster(dir, ItEnvironment.PORTS);

    @AfterEach
    void stop() {
        database.stop(Duration.ofSeconds(30));
        DirectoryProcesses.killAll(dir, Duration.ofSeconds(10));
    }

    @Test
    void acknowledgedCommitsSurviveTheLossOfThePrimaryAndTheOldPrimaryRejoinsAsAReplica() throws Exception {
        Instant startBegan = Instant.now();
        database.start();
        System.out.printf("cluster of three started (etcd, bootstrap, two replicas) in %d ms%n", millisSince(startBegan));
        assertThat(roles()).containsExactlyInAnyOrder(DatabaseNode.LEADER, DatabaseNode.SYNC_STANDBY, DatabaseNode.REPLICA);
        database.ensureRole(OWNER, OWNER_PASSWORD);
        database.ensureRole("ha_it_app", "app-password");
        database.ensureDatabase(DATABASE, OWNER, "ha_it_app");
        try (Connection connection = ownerConnection(); Statement statement = connection.createStatement()) {
            // no unique key on id: a row the failover wrote twice would show
            statement.execute("CREATE TABLE writes (seq bigserial PRIMARY KEY, id bigint NOT NULL)");
        }

        Writer writer = new Writer();
        writer.start();
        Poll.until("50 acknowledged commits", Duration.ofSeconds(30), () -> writer.acknowledged.size() >= 50);

        DatabaseNode oldLeader = database.clusters().get(0).leader().orElseThrow();
        long oldPostmaster = oldLeader.postmaster().orElseThrow().pid();
        Instant killed = Instant.now();
        database.kill(oldLeader);

        DatabaseNode newLeader = Poll.until("a replica to be promoted", Duration.ofSeconds(60), () -> database.clusters()
                .get(0).leader().filter(node -> !node.name().equals(oldLeader.name()))
                .filter(node -> DatabaseNode.RUNNING.equals(node.state())).orElse(null));
        long promotionMillis = millisSince(killed);
        int acknowledgedAtPromotion = writer.acknowledged.size();
        Poll.until("50 commits acknowledged by the new primary", Duration.ofSeconds(60),
                () -> writer.acknowledged.size() >= acknowledgedAtPromotion + 50);
        writer.stop();

        assertThat(writer.failures).as("writes failed while no primary was there").isNotEmpty();
        System.out.printf("leader %s killed; %s promoted after %d ms; no commit for %d ms; %d writes failed, from %d ms"
                        + " to %d ms after the kill%n", oldLeader.name(), newLeader.name(), promotionMillis,
                writer.longestGapMillis(), writer.failures.size(), Duration.between(killed, writer.failures.getFirst()).toMillis(),
                Duration.between(killed, writer.failures.getLast()).toMillis());

        Map<Long, Integer> rows = rows(ownerConnection());
        assertThat(rows.keySet()).as("every acknowledged commit is on the new primary").containsAll(writer.acknowledged);
        assertThat(rows.values()).as("no row written twice").allMatch(count -> count == 1);
        assertThat(writer.attempted).as("no row nobody wrote").containsAll(rows.keySet());
        System.out.printf("%d commits acknowledged, all on the new primary; %d rows in all (%d from attempts whose"
                + " acknowledgement was lost)%n", writer.acknowledged.size(), rows.size(), rows.size() - writer.acknowledged.size());

        Instant restartBegan = Instant.now();
        database.start();
        DatabaseNode rejoined = Poll.until(oldLeader.name() + " back as a replica", Duration.ofSeconds(60), () ->
                node(oldLeader.name()).filter(DatabaseNode::isHealthy).filter(node -> !DatabaseNode.LEADER.equals(node.role()))
                        .orElse(null));
        System.out.printf("%s rejoined as %s %d ms after start() began%n", rejoined.name(), rejoined.role(),
                millisSince(restartBegan));
        assertThat(rejoined.postmaster()).hasValueSatisfying(process -> assertThat(process.pid()).isNotEqualTo(oldPostmaster));
        assertThat(database.clusters().get(0).leader()).map(DatabaseNode::name).contains(newLeader.name());
        assertThat(Poll.until("roles to settle", Duration.ofSeconds(30), () -> {
            List<String> roles = roles();
            return roles.containsAll(List.of(DatabaseNode.LEADER, DatabaseNode.SYNC_STANDBY, DatabaseNode.REPLICA)) ? roles : null;
        })).hasSize(3);
        Poll.until("the rejoined node to hold exactly the primary's rows", Duration.ofSeconds(30), () -> {
            try {
                return rows(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + rejoined.port() + "/" + DATABASE,
                        OWNER, OWNER_PASSWORD)).equals(rows);
            } catch (SQLException e) {
                return false;
            }
        });
    }

    private List<String> roles() {
        return database.clusters().get(0).nodes().stream().filter(DatabaseNode::isHealthy).map(DatabaseNode::role).toList();
    }

    private java.util.Optional<DatabaseNode> node(String name) {
        return database.clusters().get(0).nodes().stream().filter(node -> node.name().equals(name)).findFirst();
    }

    private Connection ownerConnection() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(DATABASE), OWNER, OWNER_PASSWORD);
    }

    /** id → how many rows hold it; closes the connection. */
    private static Map<Long, Integer> rows(Connection connection) {
        Map<Long, Integer> rows = new HashMap<>();
        try (connection; Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT id, count(*) FROM writes GROUP BY id")) {
            while (result.next()) {
                rows.put(result.getLong(1), result.getInt(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static long millisSince(Instant start) {
        return Duration.between(start, Instant.now()).toMillis();
    }

    static PatroniPostgres cluster(Path dir, Ports ports) {
        List<PatroniPostgres.NodeSpec> nodes = new ArrayList<>();
        for (int node = 0; node < Ports.PATRONI_NODES; node++) {
            nodes.add(new PatroniPostgres.NodeSpec("it0-" + (char) ('a' + node), ports.patroniPostgres(0, node),
                    ports.patroniRestApi(0, node)));
        }
        Path installer = Path.of("..", "bin", "ha-packages.sh").toAbsolutePath().normalize();
        return new PatroniPostgres(new PatroniPostgres.Settings(dir.resolve("ha"), dir.resolve("logs"), dir.resolve("run"),
                installer, "superuser-password", "replication-password", PatroniTimings.LOCAL, ports.etcd(), ports.etcdPeer()),
                List.of(new PatroniPostgres.ClusterSpec("it0", List.of(DATABASE), nodes)));
    }

    /**
     * Commits one row every 20 ms through the multi-host URL, each with an id of its own, and records which
     * commits were acknowledged and when writes failed. A failed write is not retried: its id is never reused.
     */
    private final class Writer {
        final Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        final Set<Long> attempted = new ConcurrentSkipListSet<>();
        /** When each failed write failed, in order. */
        final List<Instant> failures = new CopyOnWriteArrayList<>();
        /** When each acknowledged write was acknowledged, in order. */
        private final List<Instant> commits = new CopyOnWriteArrayList<>();
        private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor();
        private long nextId = 1;
        private Connection connection;

        void start() {
            schedule.scheduleWithFixedDelay(this::writeOne, 0, WRITE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }

        void stop() throws InterruptedException {
            schedule.shutdown();
            assertThat(schedule.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            close();
        }

        private void writeOne() {
            long id = nextId++;
            attempted.add(id);
            try {
                if (connection == null) {
                    connection = ownerConnection();
                }
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO writes (id) VALUES (?)")) {
                    insert.setLong(1, id);
                    insert.executeUpdate();
                }
                acknowledged.add(id);
                commits.add(Instant.now());
            } catch (SQLException e) {
                failures.add(Instant.now());
                close();
            }
        }

        private void close() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // the server is gone; nothing to close politely
                }
                connection = null;
            }
        }

        /** The longest time between two acknowledged commits: how long the database took no writes. */
        long longestGapMillis() {
            long longest = 0;
            for (int i = 1; i < commits.size(); i++) {
                longest = Math.max(longest, Duration.between(commits.get(i - 1), commits.get(i)).toMillis());
            }
            return longest;
        }
    }
}
