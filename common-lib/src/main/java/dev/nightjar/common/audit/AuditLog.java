package dev.nightjar.common.audit;

import dev.nightjar.common.jdbc.SqlArrays;
import dev.nightjar.common.lifecycle.Watchdog;
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
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends audit records to the hash-chained {@code audit_log}, durably, before the caller goes on.
 *
 * <p>One worker thread takes every record waiting, chains them onto the head it last wrote and inserts them
 * with one statement, then releases the callers: {@link #record} returns only once its row is committed. The
 * sequence number is the primary key, so a batch chained onto a head another replica has since moved past
 * fails whole instead of forking the chain; that batch, and the first, read the head in a transaction under
 * an advisory lock. Many concurrent callers share one commit, so auditing every detokenization costs a wait
 * for the next commit, not a serialized commit each, and one round trip to the database.
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
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Worker worker;
    private final Watchdog watchdog = Watchdog.shared();
    private final Duration waitForDurable;
    private final Counter appended;
    /** The last row this process appended; null until the first append and after a failed one. */
    private volatile Head cachedHead;

    public AuditLog(DataSource dataSource, Clock clock, MeterRegistry meters) {
        this(dataSource, clock, meters, WAIT_FOR_DURABLE);
    }

    /** {@code waitForDurable}: how long {@link #record} waits for its commit before it fails. */
    public AuditLog(DataSource dataSource, Clock clock, MeterRegistry meters, Duration waitForDurable) {
        this.waitForDurable = waitForDurable;
        this.jdbc = JdbcClient.create(dataSource);
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
        // an untimed wait under the watchdog: a timed one on a virtual thread costs the JDK's timer a wake-up
        Watchdog.Watch watch = watchdog.arm(waitForDurable, () -> done.completeExceptionally(new TimeoutException(
                "not committed within " + waitForDurable.toMillis() + " ms")));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the audit log", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the audit record could not be made durable", e);
        } finally {
            watch.disarm();
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
        List<Chained> rows;
        try {
            rows = append(batch);
        } catch (RuntimeException e) {
            // The head is unknown now (the insert may have committed before the connection failed): the next
            // batch reads it under the lock.
            cachedHead = null;
            log.error("audit batch of {} records failed: {}", batch.size(), e.getMessage());
            batch.forEach(pending -> pending.done().completeExceptionally(e));
            return;
        }
        appended.increment(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(rows.get(i).seq());
        }
    }

    /**
     * Chains the batch onto the head this process last wrote and inserts it with one autocommitted statement:
     * the sequence number is the table's primary key, so if another replica appended since, the insert fails
     * whole and nothing forks. Then, and for the first batch, the head is read under the advisory lock and the
     * batch inserted in that transaction.
     */
    private List<Chained> append(List<Pending> batch) {
        Instant at = AuditChain.truncate(clock.instant());
        Head head = cachedHead;
        if (head != null) {
            List<Chained> rows = chain(head, at, batch);
            try {
                insert(rows, at);
                cachedHead = rows.getLast().head();
                return rows;
            } catch (DuplicateKeyException e) {
                log.debug("audit chain moved on in another writer; reading its head under the lock");
            }
        }
        List<Chained> rows = transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:key)").param("key", LOCK_KEY).query(Object.class).single();
            List<Chained> chained = chain(head(), at, batch);
            insert(chained, at);
            return chained;
        });
        cachedHead = rows.getLast().head();
        return rows;
    }

    private record Chained(long seq, AuditRecord record, byte[] previous, byte[] hash) {
        Head head() {
            return new Head(seq, hash);
        }
    }

    private static List<Chained> chain(Head head, Instant at, List<Pending> batch) {
        List<Chained> rows = new ArrayList<>(batch.size());
        long seq = head.seq();
        byte[] previous = head.hash();
        for (Pending pending : batch) {
            seq++;
            byte[] hash = AuditChain.hash(previous, seq, at, pending.record());
            rows.add(new Chained(seq, pending.record(), previous, hash));
            previous = hash;
        }
        return rows;
    }

    /**
     * The whole batch in one statement, so it is appended whole or not at all, under the lock (taken again, a
     * no-op, inside {@link #append}'s transaction), so a writer chaining onto a stale head never races one that
     * read the head under the lock: it waits for it, then fails on the sequence number it reused.
     */
    private void insert(List<Chained> rows, Instant at) {
        HexFormat hex = HexFormat.of();
        jdbc.sql("""
                        WITH lock AS MATERIALIZED (SELECT pg_advisory_xact_lock(:key))
                        INSERT INTO audit_log (seq, at, actor, action, subject, merchant_id, details, previous_hash, hash)
                        SELECT r.seq, CAST(:at AS timestamptz), r.actor, r.action, r.subject, r.merchant_id, r.details,
                               decode(r.previous_hash, 'hex'), decode(r.hash, 'hex')
                        FROM lock, unnest(CAST(:seqs AS bigint[]), CAST(:actors AS text[]), CAST(:actions AS text[]),
                                    CAST(:subjects AS text[]), CAST(:merchants AS text[]), CAST(:details AS text[]),
                                    CAST(:previous AS text[]), CAST(:hashes AS text[]))
                             AS r(seq, actor, action, subject, merchant_id, details, previous_hash, hash)""")
                .param("key", LOCK_KEY)
                .param("at", Timestamp.from(at))
                .param("seqs", SqlArrays.bigint(rows, Chained::seq))
                .param("actors", SqlArrays.text(rows, row -> row.record().actor()))
                .param("actions", SqlArrays.text(rows, row -> row.record().action()))
                .param("subjects", SqlArrays.text(rows, row -> row.record().subject()))
                .param("merchants", SqlArrays.text(rows, row -> row.record().merchantId()))
                .param("details", SqlArrays.text(rows, row -> row.record().details()))
                .param("previous", SqlArrays.text(rows, row -> hex.formatHex(row.previous())))
                .param("hashes", SqlArrays.text(rows, row -> hex.formatHex(row.hash())))
                .update();
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
