package dev.nightjar.platform.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.ItEnvironment;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.Poll;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalPostgresRestartIT {

    private final Path dir = ItEnvironment.directory("local-postgres-restart");
    private final LocalPostgres postgres = new LocalPostgres(dir.resolve("data"), ItEnvironment.PORTS.postgres(),
            dir.resolve("postgres.log"), "restart-it-password", LocalPostgres.platformSettings(), List.of("restart_it"));

    @AfterEach
    void stop() {
        postgres.stop(Duration.ofSeconds(30));
        DirectoryProcesses.killAll(dir, Duration.ofSeconds(10));
    }

    private long activeStatements() {
        try (Connection connection = postgres.connect("postgres"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT count(*) FROM generate_series%'"
                             + " AND state = 'active'")) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void startAfterASigkilledPostmasterClearsItsOrphanedBackendsAndKeepsTheData() throws Exception {
        postgres.start();
        postgres.ensureRole("restart_it_owner", "owner-password");
        postgres.ensureRole("restart_it_app", "app-password");
        postgres.ensureDatabase("restart_it", "restart_it_owner", "restart_it_app");
        try (Connection connection = postgres.connect("restart_it"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE committed (id int PRIMARY KEY)");
            statement.execute("INSERT INTO committed SELECT generate_series(1, 1000)");
        }
        long killedPid = postgres.postmaster().orElseThrow().pid();

        // A statement running at the moment of the kill, as under load: a busy backend only notices that its
        // postmaster died when the statement ends, and keeps the old shared memory attached until then.
        try (ExecutorService sessions = Executors.newSingleThreadExecutor();
             Connection busy = postgres.connect("restart_it")) {
            Future<?> longStatement = sessions.submit(() -> {
                try (Statement statement = busy.createStatement()) {
                    statement.execute("SELECT count(*) FROM generate_series(1, 10000000000)");
                }
                return null;
            });
            Poll.until("the long statement to run", Duration.ofSeconds(10), () -> activeStatements() > 0);
            postgres.kill(postgres.clusters().get(0).nodes().get(0));
            assertThat(postgres.isRunning()).isFalse();
            assertThat(DirectoryProcesses.workingIn(dir.resolve("data")))
                    .as("the backend the killed postmaster left behind, holding its shared memory")
                    .isNotEmpty();

            postgres.start();
            assertThat(longStatement).failsWithin(Duration.ofSeconds(10));
        }

        assertThat(postgres.postmaster()).hasValueSatisfying(process -> assertThat(process.pid()).isNotEqualTo(killedPid));
        try (Connection connection = postgres.connect("restart_it"); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), sum(id) FROM committed")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).isEqualTo(1000);
            assertThat(rows.getLong(2)).isEqualTo(500_500);
        }
        assertThat(postgres.clusters().get(0).leader()).isPresent();
    }
}
