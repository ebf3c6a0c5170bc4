package dev.nightjar.common.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;

class BatchWriterTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();

    @Test
    void recordsThatComeWhileTheFirstLingersShareItsBatch() throws InterruptedException {
        BatchWriter<Integer> writer = writer(10, Duration.ofSeconds(1));
        writer.start();
        try {
            writer.submit(1);
            awaitTrue("the writer took the first record", () -> writer.queued() == 0);
            for (int i = 2; i <= 5; i++) {
                writer.submit(i);
            }
            awaitTrue("five records written", () -> written() == 5);
            assertThat(batches).containsExactly(List.of(1, 2, 3, 4, 5));
        } finally {
            writer.stop();
        }
    }

    @Test
    void withoutALingerEachRecordTheWriterFindsAloneGoesAlone() throws InterruptedException {
        BatchWriter<Integer> writer = writer(10, Duration.ZERO);
        writer.start();
        try {
            writer.submit(1);
            awaitTrue("the first record written", () -> written() == 1);
            writer.submit(2);
            awaitTrue("the second record written", () -> written() == 2);
            assertThat(batches).containsExactly(List.of(1), List.of(2));
        } finally {
            writer.stop();
        }
    }

    @Test
    void aFullBatchGoesWithoutWaitingItsLinger() throws InterruptedException {
        BatchWriter<Integer> writer = writer(3, Duration.ofMinutes(10));
        for (int i = 1; i <= 3; i++) {
            writer.submit(i);
        }
        writer.start();
        try {
            awaitTrue("a full batch written long before its linger", () -> written() == 3);
            assertThat(batches).containsExactly(List.of(1, 2, 3));
        } finally {
            writer.stop();
        }
    }

    @Test
    void aStopCutsTheLingerShortAndStillWritesTheBatch() throws InterruptedException {
        BatchWriter<Integer> writer = writer(10, Duration.ofMinutes(10));
        writer.start();
        writer.submit(1);
        awaitTrue("the writer took the record and lingers", () -> writer.queued() == 0);
        assertThat(batches).isEmpty();
        writer.stop();
        assertThat(batches).containsExactly(List.of(1));
    }

    @Test
    void itStopsAfterTheWebServerAndTheConsumersSoTheirLastRecordsAreWritten() {
        BatchWriter<Integer> writer = writer(10, Duration.ZERO);
        // SmartLifecycle beans stop from the highest phase down: the web server's graceful drain, then the web
        // server, and the listener containers go before the writer
        assertThat(writer.getPhase()).isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE)
                .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
                .isLessThan(AbstractMessageListenerContainer.DEFAULT_PHASE);
    }

    @Test
    void aRecordSubmittedAfterTheStopIsWrittenAtOnce() {
        BatchWriter<Integer> writer = writer(10, Duration.ofMinutes(10));
        writer.start();
        writer.stop();
        assertThat(writer.submit(7)).isTrue();
        assertThat(batches).containsExactly(List.of(7));
    }

    private BatchWriter<Integer> writer(int maxBatch, Duration linger) {
        return new BatchWriter<>("test", 100, maxBatch, Duration.ofMillis(50), linger, batches::add, new SimpleMeterRegistry());
    }

    private int written() {
        return batches.stream().mapToInt(List::size).sum();
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
