package dev.nightjar.simulation;

import java.util.Map;
import java.util.TreeMap;

/**
 * The one place a region-loss decision is made: a small consensus store spanning both regions and a third site (in
 * production the same kind of etcd quorum Patroni uses inside a region). It grants each region a write lease and
 * holds, per group of shards, which region owns it and at which epoch. When a region's lease has lapsed for
 * {@link Timings#FENCE_MARGIN_MILLIS}, the other region holds a lease and its copies of the group follow the current
 * epoch, the witness gives the group to that region at the next epoch: the fencing token every write, WAL stream
 * and rejoin is checked against.
 *
 * <p>Abstracts away: the quorum's own replication and failures (it answers or the message is lost), and the
 * operator who may make the same decision by hand.
 */
final class Witness implements Node {

    /** Who owns a group of shards, and since which epoch. */
    record Ownership(String owner, int epoch) {
    }

    private final Simulation sim;
    private final Map<String, Long> leaseUntil = new TreeMap<>();
    private final Map<String, Ownership> ownership = new TreeMap<>();
    private final Map<String, Map<String, Integer>> followedEpochs = new TreeMap<>();

    Witness(Simulation sim) {
        this.sim = sim;
        for (String region : Topology.REGIONS) {
            leaseUntil.put(region, Timings.LEASE_TTL_MILLIS);
            ownership.put(region, new Ownership(region, 1));
            followedEpochs.put(region, Map.of("a", 1, "b", 1));
        }
    }

    void start() {
        sim.every(Timings.WITNESS_CHECK_EVERY_MILLIS, this::decide);
    }

    @Override
    public void receive(String from, Message message) {
        if (!(message instanceof Message.Renew renew)) {
            throw new IllegalStateException("the witness does not take " + message);
        }
        leaseUntil.merge(renew.region(), sim.now() + Timings.LEASE_TTL_MILLIS, Math::max);
        followedEpochs.put(renew.region(), renew.followedEpochs());
        sim.network().send(Topology.WITNESS, renew.region(),
                new Message.LeaseGrant(renew.sentAtMillis(), Map.copyOf(ownership)));
    }

    Ownership ownership(String group) {
        return ownership.get(group);
    }

    private void decide() {
        long margin = sim.flawed(Flaw.PROMOTE_WITHOUT_FENCING) ? 0 : Timings.FENCE_MARGIN_MILLIS;
        for (String lapsed : Topology.REGIONS) {
            String survivor = Topology.other(lapsed);
            if (sim.now() <= leaseUntil.get(lapsed) + margin || sim.now() > leaseUntil.get(survivor)) {
                continue;
            }
            for (Map.Entry<String, Ownership> group : ownership.entrySet()) {
                Ownership current = group.getValue();
                if (!current.owner().equals(lapsed)) {
                    continue;
                }
                int followed = followedEpochs.get(survivor).getOrDefault(group.getKey(), 0);
                if (followed != current.epoch() && !sim.flawed(Flaw.PROMOTE_STALE_STANDBY)) {
                    sim.trace("witness: %s's lease lapsed, but %s follows epoch %d of group %s, not %d: no promotion",
                            lapsed, survivor, followed, group.getKey(), current.epoch());
                    continue;
                }
                Ownership next = new Ownership(survivor, current.epoch() + 1);
                group.setValue(next);
                sim.trace("witness: %s's lease lapsed at %d; group %s moves to %s at epoch %d", lapsed,
                        leaseUntil.get(lapsed), group.getKey(), survivor, next.epoch());
                sim.network().send(Topology.WITNESS, survivor, new Message.OwnershipNotice(Map.copyOf(ownership)));
            }
        }
    }
}
