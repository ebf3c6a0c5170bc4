package dev.nightjar.platform;

import dev.nightjar.platform.postgres.LocalPostgres;
import dev.nightjar.platform.postgres.PatroniPostgres;
import dev.nightjar.platform.postgres.PatroniTimings;
import dev.nightjar.platform.postgres.PlatformDatabase;
import java.util.ArrayList;
import java.util.List;

/** The platform's PostgreSQL for a {@link DatabaseMode}: where each database lives and on which ports. */
final class PlatformDatabases {

    /**
     * Two Patroni clusters: the second holds shard 1 of the sharded services, the first everything else, so
     * the two shards fail over independently while the process count stays within two cores' means.
     */
    static final int HA_CLUSTERS = 2;

    private PlatformDatabases() {
    }

    static PlatformDatabase create(DatabaseMode mode, PlatformLayout layout, Secrets secrets) {
        String superuserPassword = secrets.get("postgres.superuser");
        if (mode == DatabaseMode.SINGLE) {
            return new LocalPostgres(layout.postgresData(), layout.ports().postgres(), layout.log("postgres"),
                    superuserPassword, LocalPostgres.platformSettings(), allDatabases());
        }
        Ports ports = layout.ports();
        return new PatroniPostgres(new PatroniPostgres.Settings(layout.haHome(), layout.logs(), layout.run(),
                layout.repository().resolve("bin").resolve("ha-packages.sh"), superuserPassword,
                secrets.get("postgres.replicator"), PatroniTimings.LOCAL, ports.etcd(), ports.etcdPeer()),
                haClusters(ports));
    }

    /** Cluster {@code c} is {@code pg<c>} with nodes {@code pg<c>-a}, {@code -b}, {@code -c}; shard i lives on cluster i mod N. */
    static List<PatroniPostgres.ClusterSpec> haClusters(Ports ports) {
        List<PatroniPostgres.ClusterSpec> clusters = new ArrayList<>();
        for (int cluster = 0; cluster < HA_CLUSTERS; cluster++) {
            List<String> databases = new ArrayList<>();
            for (FleetMember member : FleetMember.values()) {
                for (int shard = 0; shard < member.databases().size(); shard++) {
                    if (shard % HA_CLUSTERS == cluster) {
                        databases.add(member.databases().get(shard));
                    }
                }
            }
            List<PatroniPostgres.NodeSpec> nodes = new ArrayList<>();
            for (int node = 0; node < Ports.PATRONI_NODES; node++) {
                nodes.add(new PatroniPostgres.NodeSpec("pg" + cluster + "-" + (char) ('a' + node),
                        ports.patroniPostgres(cluster, node), ports.patroniRestApi(cluster, node)));
            }
            clusters.add(new PatroniPostgres.ClusterSpec("pg" + cluster, databases, nodes));
        }
        return clusters;
    }

    private static List<String> allDatabases() {
        return java.util.Arrays.stream(FleetMember.values()).flatMap(member -> member.databases().stream()).toList();
    }
}
