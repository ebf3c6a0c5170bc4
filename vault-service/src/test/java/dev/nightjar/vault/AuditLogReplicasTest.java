package dev.nightjar.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.audit.AuditChainVerifier;
import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.testsupport.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Each writer appends onto the head it last wrote, with one statement; two writers on one database (two vault
 * replicas) never fork the chain: a batch chained onto a head the other has moved past fails whole and is
 * chained again under the lock. On a real database, the chain verified as the operators' endpoint does.
 */
class AuditLogReplicasTest {

    /** {@code AuditLog}'s advisory lock key. */
    private static final long AUDIT_LOCK_KEY = 0x4E4A_4155_4449_5421L;

    private static DataSource app;
    private static JdbcClient jdbc;
    private static DataSource owner;

    @BeforeAll
    static void database() {
        TestPostgres.TestDatabase database = TestPostgres.migrated("vault_audit_replicas", "vault");
        app = database.app();
        jdbc = JdbcClient.create(app);
        owner = database.owner();
    }

    @BeforeEach
    void emptyLog() {
        // The runtime role may not remove audit rows; the schema's owner may.
        JdbcClient.create(owner).sql("TRUNCATE audit_log").update();
    }

    @Test
    void aRecordNotCommittedInTimeFailsInsteadOfWaitingAndIsWrittenOnceTheDatabaseMovesAgain() throws Exception {
        AuditLog writer = new AuditLog(app, Clock.systemUTC(), new SimpleMeterRegistry(), Duration.ofSeconds(1));
        writer.start();
        try (Connection holder = owner.getConnection()) {
            holder.setAutoCommit(false);
            // the writer's first batch reads the head under this lock: held here, the batch cannot commit
            try (var lock = holder.prepareStatement("SELECT pg_advisory_xact_lock(" + AUDIT_LOCK_KEY + ")")) {
                lock.execute();
            }
            long started = System.nanoTime();
            assertThatThrownBy(() -> writer.record(record(0)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("could not be made durable")
                    .hasRootCauseInstanceOf(TimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("its wait, not forever")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(8));
            holder.rollback();
        } finally {
            writer.stop();
        }
        assertIntact(1);
    }

    @Test
    void twoWritersTakingTurnsExtendOneChain() {
        AuditLog first = new AuditLog(app, Clock.systemUTC(), new SimpleMeterRegistry());
        AuditLog second = new AuditLog(app, Clock.systemUTC(), new SimpleMeterRegistry());
        List<Long> sequence = new ArrayList<>();
        // Each turn of the other writer leaves this one's head behind: its next append must notice.
        for (AuditLog writer : List.of(first, first, second, first, second, second, first)) {
            sequence.add(writer.record(record(sequence.size())));
        }
        assertThat(sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertIntact(7);
    }

    @Test
    void twoWritersAtOnceNeverFork() throws Exception {
        AuditLog first = new AuditLog(app, Clock.systemUTC(), new SimpleMeterRegistry());
        AuditLog second = new AuditLog(app, Clock.systemUTC(), new SimpleMeterRegistry());
        first.start();
        second.start();
        Map<Long, Boolean> seen = new ConcurrentHashMap<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(8)) {
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                AuditLog writer = i % 2 == 0 ? first : second;
                int n = i;
                calls.add(callers.submit(() -> assertThat(seen.put(writer.record(record(n)), true))
                        .as("a sequence number given twice").isNull()));
            }
            for (Future<?> call : calls) {
                call.get();
            }
        } finally {
            first.stop();
            second.stop();
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 400).boxed().toList());
        assertIntact(400);
    }

    private static AuditRecord record(int n) {
        return new AuditRecord("auth-service", "card.detokenize", "tok_" + n, "mer_audit", "{\"payment_id\":\"pay_" + n + "\"}");
    }

    private static void assertIntact(long rows) {
        AuditChainVerifier.Result result = new AuditChainVerifier(jdbc).verify();
        assertThat(result.findings()).isEmpty();
        assertThat(result.rows()).isEqualTo(rows);
        assertThat(result.headSeq()).isEqualTo(rows);
    }
}
