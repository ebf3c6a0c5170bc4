package dev.nightjar.platform;

/**
 * Every port of a local platform, derived from two numbers so a second platform (the end-to-end tests)
 * can run beside a developer's without clashing. Each service's management port is its port + 100.
 *
 * @param gateway the merchant-facing HTTPS port (8443 by default)
 * @param base    internal services listen on base+1..8, Kafka on base+20 and +21, PostgreSQL on base+30; in HA
 *                mode the Patroni nodes' PostgreSQL on base+31..39, etcd on base+40 and +41, the Patroni REST
 *                APIs on base+51..59; the Zipkin server on base+60, Prometheus on base+61; management ports are
 *                base+100..108
 */
public record Ports(int gateway, int base) {

    public static final Ports DEFAULT = new Ports(8443, 9100);

    /** At most this many Patroni clusters of {@link #PATRONI_NODES} nodes fit the port plan. */
    public static final int PATRONI_CLUSTERS = 3;
    public static final int PATRONI_NODES = 3;

    public Ports {
        if (gateway < 1024 || gateway > 65_000 || base < 1024 || base > 65_000) {
            throw new IllegalArgumentException("ports out of range: gateway " + gateway + ", base " + base);
        }
    }

    public int service(FleetMember member) {
        return member == FleetMember.GATEWAY ? gateway : base + member.portOffset();
    }

    public int management(FleetMember member) {
        return member == FleetMember.GATEWAY ? base + 100 : service(member) + 100;
    }

    public int kafka() {
        return base + 20;
    }

    public int kafkaController() {
        return base + 21;
    }

    public int postgres() {
        return base + 30;
    }

    /** PostgreSQL of node {@code node} of Patroni cluster {@code cluster} (HA mode): base+31..39. */
    public int patroniPostgres(int cluster, int node) {
        return base + 31 + patroniSlot(cluster, node);
    }

    /** Patroni's REST API of that node: base+51..59. */
    public int patroniRestApi(int cluster, int node) {
        return base + 51 + patroniSlot(cluster, node);
    }

    /** The Zipkin server: the services' spans, {@code ./nightjar trace}, its UI. */
    public int zipkin() {
        return base + 60;
    }

    /** Prometheus, scraping every service's management port. */
    public int prometheus() {
        return base + 61;
    }

    /** etcd's client port (HA mode). */
    public int etcd() {
        return base + 40;
    }

    /** etcd's peer port: a single member, but etcd listens for peers all the same. */
    public int etcdPeer() {
        return base + 41;
    }

    private static int patroniSlot(int cluster, int node) {
        if (cluster < 0 || cluster >= PATRONI_CLUSTERS || node < 0 || node >= PATRONI_NODES) {
            throw new IllegalArgumentException("no port for Patroni cluster " + cluster + " node " + node);
        }
        return cluster * PATRONI_NODES + node;
    }
}
