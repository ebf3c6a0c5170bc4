package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.process.ProcessStat;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aPoolsThreadsAreOneRowBusiestFirstPerPaymentAndShareOfACore() {
        ThreadCpu.Snapshot start = new ThreadCpu.Snapshot(0, Map.of(
                "gateway-service", Map.of(11L, thread(11, "ForkJoinPool-1-worker-1", 100, 0),
                        12L, thread(12, "ForkJoinPool-1-worker-2", 50, 0),
                        13L, thread(13, "BatchSpanProcessor_WorkerThread-1", 10, 0)),
                "kafka", Map.of(21L, thread(21, "C2 CompilerThread0", 0, 0))));
        ThreadCpu.Snapshot end = new ThreadCpu.Snapshot(10 * SECOND, Map.of(
                "gateway-service", Map.of(11L, thread(11, "ForkJoinPool-1-worker-1", 400, 0),
                        12L, thread(12, "ForkJoinPool-1-worker-2", 250, 0),
                        13L, thread(13, "BatchSpanProcessor_WorkerThread-1", 30, 0)),
                "kafka", Map.of(21L, thread(21, "C2 CompilerThread0", 100, 0))));

        List<ThreadCpu.Row> rows = ThreadCpu.busiest(start, end, 100, 100, 10);

        // the two workers: 300 + 200 ticks of 10 ms over 100 payments and 10 s
        assertThat(rows).containsExactly(
                new ThreadCpu.Row("gateway-service", "ForkJoinPool-N-worker-N", 50.0, 50.0),
                new ThreadCpu.Row("kafka", "CN CompilerThreadN", 10.0, 10.0),
                new ThreadCpu.Row("gateway-service", "BatchSpanProcessor_WorkerThread-N", 2.0, 2.0));
        assertThat(ThreadCpu.busiest(start, end, 100, 100, 1)).hasSize(1);
    }

    @Test
    void aThreadStartedInTheWindowOrOnATakenOverIdCountsFromZeroAndOneThatEndedIsNotThere() {
        ThreadCpu.Snapshot start = new ThreadCpu.Snapshot(0, Map.of("vault-service", Map.of(
                31L, thread(31, "audit-log", 500, 1_000),
                32L, thread(32, "gone", 900, 1_000))));
        ThreadCpu.Snapshot end = new ThreadCpu.Snapshot(SECOND, Map.of("vault-service", Map.of(
                31L, thread(31, "audit-log", 40, 2_000),
                33L, thread(33, "new", 60, 3_000))));

        assertThat(ThreadCpu.busiest(start, end, 10, 100, 10)).containsExactly(
                new ThreadCpu.Row("vault-service", "new", 60.0, 60.0),
                new ThreadCpu.Row("vault-service", "audit-log", 40.0, 40.0));
    }

    @Test
    void aRealBusyThreadOfThisProcessIsReadFromProc() throws Exception {
        ProcessCpu.Component self = new ProcessCpu.Component("this-test", ProcessHandle.current().pid(), true);
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        AtomicBoolean spin = new AtomicBoolean(true);
        AtomicLong spinnerId = new AtomicLong(-1);
        ThreadCpu.Snapshot start = ThreadCpu.take(List.of(self));
        Thread busy = Thread.ofPlatform().name("thread-cpu-spin-7").start(() -> {
            spinnerId.set(Thread.currentThread().threadId());
            while (spin.get()) {
                Thread.onSpinWait();
            }
        });
        try {
            long deadline = System.nanoTime() + 20 * SECOND;
            while (spinnerId.get() < 0 || threadBean.getThreadCpuTime(spinnerId.get()) < 300_000_000L) {
                assertThat(System.nanoTime()).as("the spinning thread has spent 300 ms of CPU").isLessThan(deadline);
                Thread.onSpinWait();
            }
            ThreadCpu.Snapshot end = ThreadCpu.take(List.of(self));

            assertThat(ThreadCpu.busiest(start, end, 1, ProcessCpu.clockTicks().perSecond(), 50))
                    .filteredOn(row -> row.thread().equals("thread-cpu-spin"))
                    .singleElement().satisfies(row -> assertThat(row.millisPerPayment()).isGreaterThan(200));
        } finally {
            spin.set(false);
            busy.join();
        }
    }

    private static ProcessStat thread(long tid, String name, long userTicks, long startTicks) {
        return new ProcessStat(tid, name, 1, userTicks, 0, 999, 999, startTicks);
    }
}
