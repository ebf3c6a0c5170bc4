package dev.nightjar.acquirer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/** Runs work on several threads at once, for tests of what concurrent requests leave behind. */
public final class Parallel {

    private Parallel() {
    }

    /** Runs {@code work} on {@code threads} threads at once, each given its number, and waits for all (rethrowing the first failure). */
    public static void run(int threads, IntConsumer work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> work.accept(thread)));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
