package dev.nightjar.common.audit;

import dev.nightjar.common.lifecycle.Worker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit records to the hash-chained {@code audit_log}, durably, before the caller goes on.
 *
 * <p>One worker thread takes every record waiting, chains them onto the current head and inserts them in
 * one transaction under an advisory lock (so replicas never fork the chain), then releases the callers:
 * {@link #record} returns only once its row is committed. Many concurrent callers share one commit, so
 * auditing every detokenization costs a wait for the next commit, not a serialized commit each.
 */
public final class AuditLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final long LOCK_KEY = 0x4E4A_4155_4449_5421L;
    private static final int MAX_BATCH = 1_000;
    private static final int CAPACITY = 50_000;
    private static final Duration WAIT_FOR_DURABLE = Duration.ofSeconds(10);

    private record Pending(AuditRecord record, CompletableFuture<Long> done) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Worker worker;
    private final Counter appended;

    public AuditLog(DataSource dataSource, Clock clock, MeterRegistry meters) {
        this.jdbc = JdbcClient.create(dataSource);
        this.template = new JdbcTemplate(dataSource);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.clock = clock;
        this.worker = new Worker("audit-log", this::loop);
        this.appended = Counter.builder("nightjar.audit.appended").description("Audit records made durable")
                .register(meters);
    }

    /** Appends the record and waits until it is committed; returns its sequence number. */
    public long record(AuditRecord record) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (!queue.offer(new Pending(record, done))) {
            throw new IllegalStateException("audit log queue is full; refusing to act unaudited");
        }
        if (!worker.isRunning()) {
            flush();
        }
        try {
            return done.get(WAIT_FOR_DURABLE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the audit log", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the audit record could not be made durable", e);
        }
    }

    /** Writes whatever is waiting, on the caller's thread. */
    public synchronized void flush() {
        List<Pending> batch = new ArrayList<>();
        while (queue.drainTo(batch, MAX_BATCH) > 0) {
            write(batch);
            batch.clear();
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (worker.isRunning() || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                synchronized (this) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                if (!worker.isRunning()) {
                    flush();
                    return;
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        long[] sequence = new long[batch.size()];
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", LOCK_KEY).query(Object.class).single();
                Head head = head();
                long seq = head.seq();
                byte[] previous = head.hash();
                Instant at = AuditChain.truncate(clock.instant());
                List<Object[]> rows = new ArrayList<>(batch.size());
                for (int i = 0; i < batch.size(); i++) {
                    AuditRecord record = batch.get(i).record();
                    seq++;
                    byte[] hash = AuditChain.hash(previous, seq, at, record);
                    rows.add(new Object[] {seq, Timestamp.from(at), record.actor(), record.action(), record.subject(),
                            record.merchantId(), record.details(), previous, hash});
                    sequence[i] = seq;
                    previous = hash;
                }
                template.batchUpdate("""
                        INSERT INTO audit_log (seq, at, actor, action, subject, merchant_id, details, previous_hash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows);
            });
        } catch (RuntimeException e) {
            log.error("audit batch of {} records failed: {}", batch.size(), e.getMessage());
            batch.forEach(pending -> pending.done().completeExceptionally(e));
            return;
        }
        appended.increment(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(sequence[i]);
        }
    }

    /** The last row of the chain: its sequence number and hash (0 and the genesis hash when empty). */
    public record Head(long seq, byte[] hash) {
        public String hashHex() {
            return HexFormat.of().formatHex(hash);
        }
    }

    public Head head() {
        return jdbc.sql("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .query((rs, n) -> new Head(rs.getLong(1), rs.getBytes(2)))
                .optional()
                .orElse(new Head(0, AuditChain.GENESIS));
    }

    @Override
    public void start() {
        worker.start();
    }

    @Override
    public void stop() {
        worker.stop();
        flush();
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }
}
