package dev.nightjar.simulation;

/**
 * Carries messages between the parties, after a delay drawn from the seed: each may be lost, duplicated or slowed
 * (never past {@link Timings#MAX_MESSAGE_DELAY_MILLIS}), and nothing passes a cut link (a partition, an isolated or
 * lost region), whether it is cut when the message leaves or when it would arrive.
 *
 * <p>Abstracts away: bandwidth, ordering guarantees of TCP (messages on one link may overtake each other here,
 * which is harsher), connection set-up and TLS.
 */
final class Network {

    private final Simulation sim;

    Network(Simulation sim) {
        this.sim = sim;
    }

    void send(String from, String to, Message message) {
        long now = sim.now();
        Faults faults = sim.faults();
        if (faults.cut(from, to, now)) {
            return;
        }
        boolean calm = faults.calm(now);
        if (!calm && sim.random().nextDouble() < faults.lossProbability) {
            return;
        }
        deliverLater(from, to, message, delayMillis(from, to, calm));
        if (!calm && sim.random().nextDouble() < faults.duplicateProbability) {
            deliverLater(from, to, message, delayMillis(from, to, false));
        }
    }

    private void deliverLater(String from, String to, Message message, long delayMillis) {
        sim.schedule(delayMillis, () -> {
            if (!sim.faults().cut(from, to, sim.now())) {
                sim.node(to).receive(from, message);
            }
        });
    }

    private long delayMillis(String from, String to, boolean calm) {
        if (!calm && sim.random().nextDouble() < sim.faults().slowProbability) {
            return sim.random().nextLong(1, Timings.MAX_MESSAGE_DELAY_MILLIS + 1);
        }
        if (Topology.isRegion(from) && Topology.isRegion(to)) {
            return sim.random().nextLong(30, 121);
        }
        if (from.equals(Topology.ACQUIRER) || to.equals(Topology.ACQUIRER)) {
            return sim.random().nextLong(20, 201);
        }
        if (from.equals(Topology.WITNESS) || to.equals(Topology.WITNESS)) {
            return sim.random().nextLong(10, 81);
        }
        return sim.random().nextLong(5, 101);
    }
}
