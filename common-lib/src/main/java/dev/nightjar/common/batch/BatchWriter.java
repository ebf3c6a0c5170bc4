package dev.nightjar.common.batch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.nightjar.common.lifecycle.Worker;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Writes records that need not hold up a request (decision logs, audit copies) in batches from one
 * background thread: many rows per round trip instead of one. Bounded: when the queue is full a record
 * is dropped and counted rather than blocking the caller. Only for data whose loss on a crash is
 * acceptable; anything that must survive is written in the request's own transaction.
 *
 * <p>A batch that has room waits its {@code linger} after its first record before it is written, so that at a
 * modest rate the records of a few requests share a round trip and a commit instead of each taking its own (and
 * waking the writer for itself); a full batch goes at once.
 *
 * <p>It starts before the web server and the Kafka consumers, and stops after them: the requests a graceful
 * shutdown lets finish, and the last records consumed, still submit to a running writer. What is submitted once it
 * has stopped is written at once on the caller's thread.
 */
public final class BatchWriter<T> implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private final String name;
    private final BlockingQueue<T> queue;
    private final int maxBatch;
    private final Duration maxWait;
    private final Duration linger;
    private final Consumer<List<T>> sink;
    private final Counter dropped;
    private final Counter written;
    private final Worker worker;
    private volatile boolean stopped;

    /**
     * @param maxWait how long the writer waits for a first record before it looks whether it should stop
     * @param linger how long a batch that has room gathers records after its first; zero writes at once
     */
    public BatchWriter(String name, int capacity, int maxBatch, Duration maxWait, Duration linger, Consumer<List<T>> sink,
                       MeterRegistry meters) {
        if (linger.isNegative()) {
            throw new IllegalArgumentException("a batch writer's linger is zero or more, not " + linger);
        }
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.maxBatch = maxBatch;
        this.maxWait = maxWait;
        this.linger = linger;
        this.sink = sink;
        this.dropped = Counter.builder("nightjar.batch.dropped").tag("writer", name)
                .description("Records a batch writer dropped because its queue was full").register(meters);
        this.written = Counter.builder("nightjar.batch.written").tag("writer", name)
                .description("Records a batch writer wrote").register(meters);
        this.worker = new Worker("batch-writer-" + name, this::loop);
    }

    /** Queues a record; false (and counted) when the queue is full. Once the writer has stopped, writes it now. */
    public boolean submit(T record) {
        if (stopped) {
            write(List.of(record));
            return true;
        }
        boolean accepted = queue.offer(record);
        if (!accepted) {
            dropped.increment();
        }
        return accepted;
    }

    /** Records queued and not yet taken by the writer. */
    int queued() {
        return queue.size();
    }

    /** Writes everything queued now, on the caller's thread. */
    public void flush() {
        List<T> batch = new ArrayList<>(maxBatch);
        while (queue.drainTo(batch, maxBatch) > 0) {
            write(batch);
            batch.clear();
        }
    }

    private void loop() {
        List<T> batch = new ArrayList<>(maxBatch);
        while (worker.isRunning() || !queue.isEmpty()) {
            try {
                T first = queue.poll(maxWait.toMillis(), TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                linger();
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
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

    /** Lets a batch that has room gather for the linger; a stop cuts it short, and the batch is still written. */
    private void linger() {
        if (linger.isZero() || queue.size() >= maxBatch - 1) {
            return;
        }
        try {
            Thread.sleep(linger);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void write(List<T> batch) {
        try {
            sink.accept(List.copyOf(batch));
            written.increment(batch.size());
        } catch (RuntimeException e) {
            dropped.increment(batch.size());
            log.warn("batch writer {} lost {} records: {}", name, batch.size(), e.getMessage());
        }
    }

    @Override
    public void start() {
        worker.start();
    }

    /** Writes what is queued; records submitted from now on are written on their callers' threads. */
    @Override
    public void stop() {
        stopped = true;
        worker.stop();
        flush();
    }

    /** Started before the web server takes requests, stopped once it and the consumers have finished their last. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    @Override
    public boolean isRunning() {
        return worker.isRunning();
    }
}
