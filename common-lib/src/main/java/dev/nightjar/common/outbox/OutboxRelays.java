package dev.nightjar.common.outbox;

import java.util.List;
import org.springframework.context.SmartLifecycle;

/** The outbox relays of a sharded service, one per shard, started and stopped together. */
public final class OutboxRelays implements SmartLifecycle {

    private final List<OutboxRelay> relays;

    public OutboxRelays(List<OutboxRelay> relays) {
        this.relays = List.copyOf(relays);
    }

    public List<OutboxRelay> relays() {
        return relays;
    }

    /** Publishes until every outbox is empty; for tests and orderly shutdown. */
    public void drain() {
        for (OutboxRelay relay : relays) {
            while (relay.publishBatch() > 0) {
                // keep going until this outbox is empty
            }
        }
    }

    @Override
    public void start() {
        relays.forEach(OutboxRelay::start);
    }

    @Override
    public void stop() {
        relays.forEach(OutboxRelay::stop);
    }

    @Override
    public boolean isRunning() {
        return relays.stream().anyMatch(OutboxRelay::isRunning);
    }
}
