package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bench's merchants: as many on each shard, whatever order the router puts new merchants in. */
class EvenMerchantsTest {

    /** Merchants named by the order they were made, each on the shard the list gives for it. */
    private record Made(int number, int shard) {
    }

    private static OpenLoopBenchmark.Maker<Made> maker(List<Integer> shards, AtomicInteger made) {
        return number -> {
            made.incrementAndGet();
            return new Made(number - 1, shards.get(number - 1));
        };
    }

    @Test
    void twoOnEachShardInTheOrderMadeLeavingOutThoseBeyondAFullShard() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<Made> chosen = OpenLoopBenchmark.evenly(maker(List.of(0, 0, 0, 1, 0, 1, 1, 0), made), Made::shard, 2, 2, 16);

        assertThat(chosen).extracting(Made::number).containsExactly(0, 1, 3, 5);
        assertThat(made).as("none made once both shards had two").hasValue(6);
    }

    @Test
    void whenTheLimitComesFirstThoseChosenSoFarAreUsed() throws Exception {
        AtomicInteger made = new AtomicInteger();
        List<Made> chosen = OpenLoopBenchmark.evenly(maker(List.of(1, 1, 1, 1, 1, 0), made), Made::shard, 2, 2, 5);

        assertThat(chosen).extracting(Made::number).containsExactly(0, 1);
        assertThat(made).hasValue(5);
    }
}
