package dev.nightjar.auth.authorization;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Routing rules, tried in order ({@code nightjar.routing.rules[i]}). An empty condition matches anything.
 *
 * @param rules the rules; none means every acquirer in name order
 */
@ConfigurationProperties("nightjar.routing")
public record RoutingProperties(List<Rule> rules) {

    public RoutingProperties {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /**
     * @param currencies     ISO codes this rule is for (empty: all)
     * @param merchants      merchant ids this rule is for (empty: all)
     * @param minAmountMinor the smallest amount this rule is for (null: any)
     * @param acquirers      where to go, first choice first, then the failover
     */
    public record Rule(List<String> currencies, List<String> merchants, Long minAmountMinor, List<String> acquirers) {

        public Rule {
            currencies = currencies == null ? List.of() : List.copyOf(currencies);
            merchants = merchants == null ? List.of() : List.copyOf(merchants);
            if (acquirers == null || acquirers.isEmpty()) {
                throw new IllegalArgumentException("a routing rule needs at least one acquirer");
            }
            acquirers = List.copyOf(acquirers);
        }

        boolean matches(String merchantId, String currency, long amountMinor) {
            return (currencies.isEmpty() || currencies.contains(currency))
                    && (merchants.isEmpty() || merchants.contains(merchantId))
                    && (minAmountMinor == null || amountMinor >= minAmountMinor);
        }
    }
}
