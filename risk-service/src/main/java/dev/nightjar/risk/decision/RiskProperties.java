package dev.nightjar.risk.decision;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewThreshold score from which a payment is held for review
 * @param blockThreshold  score from which a payment is refused
 * @param testCards       test-mode rules matching a card by BIN and last four
 */
@ConfigurationProperties("nightjar.risk")
public record RiskProperties(
        @DefaultValue("65") int reviewThreshold,
        @DefaultValue("90") int blockThreshold,
        List<TestCardRule> testCards) {

    public RiskProperties {
        testCards = testCards == null ? List.of() : List.copyOf(testCards);
        if (reviewThreshold > blockThreshold) {
            throw new IllegalArgumentException("review threshold must not exceed the block threshold");
        }
    }

    public record TestCardRule(String bin, String last4, int score, String reason) {
    }
}
