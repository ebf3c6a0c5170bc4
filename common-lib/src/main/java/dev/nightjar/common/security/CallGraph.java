package dev.nightjar.common.security;

import static dev.nightjar.common.security.Identities.ACQUIRER_SIMULATOR;
import static dev.nightjar.common.security.Identities.AUTH;
import static dev.nightjar.common.security.Identities.GATEWAY;
import static dev.nightjar.common.security.Identities.LEDGER;
import static dev.nightjar.common.security.Identities.OPERATOR;
import static dev.nightjar.common.security.Identities.RISK;
import static dev.nightjar.common.security.Identities.SETTLEMENT;
import static dev.nightjar.common.security.Identities.TRANSACTION;
import static dev.nightjar.common.security.Identities.VAULT;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Who may call whom: the call graph of the architecture, in one place. Every service checks each
 * caller against it ({@link CallerAuthorizationFilter}); the Istio AuthorizationPolicies are rendered
 * from the same graph. A path not listed for a service is refused to every caller.
 *
 * <p>Patterns are Spring path patterns matched against the request path. The first rule whose
 * service and pattern match decides.
 */
public final class CallGraph {

    /** One edge set: calls to {@code service} on paths matching {@code pathPattern} are allowed from {@code callers}. */
    public record Rule(String service, String pathPattern, Set<String> callers) {
    }

    public static final List<Rule> RULES = List.of(
            // Only auth-service may turn a token back into a card number.
            new Rule(VAULT, "/internal/v1/tokens/{token}/detokenize", Set.of(AUTH)),
            // Whether the vault is ready (no data): auth-service opens its connections with it at start.
            new Rule(VAULT, "/internal/v1/ready", Set.of(AUTH, GATEWAY)),
            // Key rotation and the audit chain are the operator's.
            new Rule(VAULT, "/internal/v1/keys/**", Set.of(OPERATOR)),
            new Rule(VAULT, "/internal/v1/audit/**", Set.of(OPERATOR)),
            new Rule(VAULT, "/internal/v1/**", Set.of(GATEWAY)),
            new Rule(TRANSACTION, "/internal/v1/**", Set.of(GATEWAY)),
            new Rule(RISK, "/internal/v1/**", Set.of(TRANSACTION, GATEWAY)),
            new Rule(AUTH, "/internal/v1/**", Set.of(TRANSACTION)),
            new Rule(LEDGER, "/internal/v1/**", Set.of(SETTLEMENT, OPERATOR)),
            new Rule(SETTLEMENT, "/internal/v1/**", Set.of(OPERATOR)),
            new Rule(GATEWAY, "/internal/v1/**", Set.of(OPERATOR)),
            new Rule(ACQUIRER_SIMULATOR, "/admin/**", Set.of(OPERATOR)),
            new Rule(ACQUIRER_SIMULATOR, "/**", Set.of(AUTH, SETTLEMENT, OPERATOR)));

    private CallGraph() {
    }

    /** The rules of one service, in order. */
    public static List<Rule> rulesFor(String service) {
        return RULES.stream().filter(rule -> rule.service().equals(service)).toList();
    }

    /** Every service some caller may reach, mapped from the caller: used to render mesh policies and to test them. */
    public static Set<String> calleesOf(String caller) {
        return RULES.stream()
                .filter(rule -> rule.callers().contains(caller))
                .map(Rule::service)
                .collect(Collectors.toUnmodifiableSet());
    }
}
