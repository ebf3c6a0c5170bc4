package dev.nightjar.auth.authorization;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.common.contract.AuthContract.AuthorizeRequest;
import java.util.List;

/** Chooses the acquirer for an authorization: the first configured one. */
public final class AcquirerRouter {

    private final List<AcquirerConnector> connectors;

    public AcquirerRouter(List<AcquirerConnector> connectors) {
        if (connectors.isEmpty()) {
            throw new IllegalStateException("no acquirer configured (nightjar.acquirers.*)");
        }
        this.connectors = List.copyOf(connectors);
    }

    public AcquirerConnector route(AuthorizeRequest request) {
        return connectors.get(0);
    }

    /** The connector of a named acquirer: captures, voids and refunds go where the authorization went. */
    public AcquirerConnector byName(String name) {
        return connectors.stream().filter(connector -> connector.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("acquirer " + name + " is not configured"));
    }
}
