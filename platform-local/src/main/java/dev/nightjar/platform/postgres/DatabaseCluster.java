package dev.nightjar.platform.postgres;

import java.util.List;
import java.util.Optional;

/**
 * One PostgreSQL cluster as seen at one moment: a primary and its replicas sharing one copy of the data.
 *
 * @param name      the cluster's name (Patroni's scope; {@code postgresql} for the single server)
 * @param databases the databases it holds
 * @param nodes     its servers, in a fixed order
 */
public record DatabaseCluster(String name, List<String> databases, List<DatabaseNode> nodes) {

    public DatabaseCluster {
        databases = List.copyOf(databases);
        nodes = List.copyOf(nodes);
    }

    /** The node that holds the leader lock (the primary), if any does right now. */
    public Optional<DatabaseNode> leader() {
        return nodes.stream().filter(node -> DatabaseNode.LEADER.equals(node.role())).findFirst();
    }
}
