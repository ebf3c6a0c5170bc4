package dev.nightjar.common.shard;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * {@code shard = hash(merchant_id) mod N}: every row and event of one merchant lives on one shard.
 * CRC-32C is stable across JVMs and releases, so a merchant never moves while N stays the same.
 */
public final class ShardRouter {

    private final int shardCount;

    public ShardRouter(int shardCount) {
        if (shardCount < 1) {
            throw new IllegalArgumentException("shard count must be at least 1: " + shardCount);
        }
        this.shardCount = shardCount;
    }

    public int shardCount() {
        return shardCount;
    }

    public int shardOf(String merchantId) {
        if (merchantId == null || merchantId.isEmpty()) {
            throw new IllegalArgumentException("merchant id is required to pick a shard");
        }
        CRC32C crc = new CRC32C();
        crc.update(merchantId.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shardCount);
    }
}
