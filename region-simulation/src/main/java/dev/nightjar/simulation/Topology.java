package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Who lives where: two regions, {@code a} and {@code b}, each the home of four merchants spread over two shards of
 * its own. A shard is named after the region it was homed in ({@code a0}, {@code a1}, {@code b0}, {@code b1}) and
 * keeps that name when the other region takes it over; the shards homed in one region form that region's group,
 * which a fail-over moves as a whole. Besides the regions there are three more parties: the acquirer, the witness
 * (leases and ownership) and the merchants' clients.
 *
 * <p>Abstracts away: merchant configuration as a service (homes are fixed at the start here and move only by
 * fail-over) and CRC-32C routing inside a region (merchant {@code i} is on shard {@code i mod 2}).
 */
final class Topology {

    static final List<String> REGIONS = List.of("a", "b");
    static final List<String> SHARDS = List.of("a0", "a1", "b0", "b1");
    static final String ACQUIRER = "acquirer";
    static final String WITNESS = "witness";
    static final String CLIENTS = "clients";

    private static final List<String> CURRENCIES = List.of("EUR", "USD", "JPY", "GBP");
    static final List<Merchant> MERCHANTS = merchants();

    /** A merchant, the region its writes are homed in, its shard there and the one currency it charges in. */
    record Merchant(String id, String home, String shard, String currency) {
    }

    private Topology() {
    }

    static Merchant merchant(String id) {
        for (Merchant merchant : MERCHANTS) {
            if (merchant.id().equals(id)) {
                return merchant;
            }
        }
        throw new IllegalArgumentException("no such merchant: " + id);
    }

    static String shardOf(String merchantId) {
        return merchant(merchantId).shard();
    }

    /** The group a shard belongs to: the region it was first homed in. */
    static String groupOf(String shard) {
        return shard.substring(0, 1);
    }

    static List<String> merchantsOf(String shard) {
        return MERCHANTS.stream().filter(m -> m.shard().equals(shard)).map(Merchant::id).toList();
    }

    static String other(String region) {
        return region.equals("a") ? "b" : "a";
    }

    static boolean isRegion(String party) {
        return REGIONS.contains(party);
    }

    private static List<Merchant> merchants() {
        List<Merchant> merchants = new ArrayList<>();
        for (String region : REGIONS) {
            for (int i = 0; i < 4; i++) {
                merchants.add(new Merchant("mer_" + region + i, region, region + (i % 2), CURRENCIES.get(i)));
            }
        }
        return List.copyOf(merchants);
    }
}
