package dev.nightjar.auth.authorization;

import dev.nightjar.auth.acquirer.AcquirerConnector;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Chooses where an authorization goes: the acquirers of the first routing rule that matches the payment
 * (by currency, merchant, amount), in the rule's order; without a matching rule, every acquirer in name
 * order. The first is tried; the next only when the one before certainly did nothing.
 */
public final class AcquirerRouter {

    private final Map<String, AcquirerConnector> connectors;
    private final List<RoutingProperties.Rule> rules;
    private final List<AcquirerConnector> byName;

    public AcquirerRouter(List<AcquirerConnector> connectors, List<RoutingProperties.Rule> rules) {
        if (connectors.isEmpty()) {
            throw new IllegalStateException("no acquirer configured (nightjar.acquirers.*)");
        }
        this.connectors = connectors.stream().collect(Collectors.toMap(AcquirerConnector::name, Function.identity()));
        this.byName = connectors.stream().sorted(java.util.Comparator.comparing(AcquirerConnector::name)).toList();
        for (RoutingProperties.Rule rule : rules) {
            for (String acquirer : rule.acquirers()) {
                if (!this.connectors.containsKey(acquirer)) {
                    throw new IllegalStateException("routing rule names acquirer " + acquirer + ", which is not configured");
                }
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** The acquirers to try for this authorization, in order. */
    public List<AcquirerConnector> route(AuthorizeRequest request) {
        for (RoutingProperties.Rule rule : rules) {
            if (rule.matches(request.merchantId(), request.currency(), request.amountMinor())) {
                List<AcquirerConnector> chosen = new ArrayList<>(rule.acquirers().size());
                rule.acquirers().forEach(name -> chosen.add(connectors.get(name)));
                return chosen;
            }
        }
        return byName;
    }

    /** The connector of a named acquirer: captures, voids and refunds go where the authorization went. */
    public AcquirerConnector byName(String name) {
        AcquirerConnector connector = connectors.get(name);
        if (connector == null) {
            throw new IllegalStateException("acquirer " + name + " is not configured");
        }
        return connector;
    }

    public List<AcquirerConnector> all() {
        return byName;
    }
}
