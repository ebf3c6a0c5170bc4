package dev.nightjar.risk.decision;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param reviewThreshold         score from which a payment is held for review
 * @param blockThreshold          score from which a payment is refused
 * @param testCards               test-mode rules matching a card by BIN and last four
 * @param testMode                the platform runs test traffic: velocity is ignored for {@code velocityExemptCards}
 * @param velocityExemptCards     test cards (BIN and last four) whose velocity does not count in test mode, so
 *                                tests and benchmarks may pay with one card as often as they like
 * @param rules                   hard velocity rules, applied on top of the model
 * @param features                how many keys the in-memory feature store may hold
 */
@ConfigurationProperties("nightjar.risk")
public record RiskProperties(
        @DefaultValue("65") int reviewThreshold,
        @DefaultValue("90") int blockThreshold,
        List<TestCardRule> testCards,
        @DefaultValue("false") boolean testMode,
        List<CardMatch> velocityExemptCards,
        @DefaultValue Rules rules,
        @DefaultValue FeatureLimits features) {

    public RiskProperties {
        testCards = testCards == null ? List.of() : List.copyOf(testCards);
        velocityExemptCards = velocityExemptCards == null ? List.of() : List.copyOf(velocityExemptCards);
        if (reviewThreshold > blockThreshold) {
            throw new IllegalArgumentException("review threshold must not exceed the block threshold");
        }
        if (reviewThreshold < 1 || blockThreshold > 100) {
            throw new IllegalArgumentException("thresholds are scores from 1 to 100");
        }
    }

    /** Thresholds and rules as in application.yml, without test cards: for tools and tests outside Spring. */
    public static RiskProperties defaults() {
        return new RiskProperties(65, 90, List.of(), false, List.of(), Rules.defaults(), FeatureLimits.defaults());
    }

    public record TestCardRule(String bin, String last4, int score, String reason) {
    }

    /** A card recognised by BIN (first six) and last four digits, never by its number. */
    public record CardMatch(String bin, String last4) {
    }

    /**
     * Counts from which a payment is held or refused whatever the model says. Set far above what a legitimate
     * card does at one merchant; test traffic on allow-listed test cards never reaches them in test mode.
     *
     * @param cardPaymentsPerMinuteReview  payments of one card in the last minute from which it is held
     * @param cardPaymentsPerHourBlock     payments of one card in the last hour from which it is refused
     * @param cardDeclinesPerHourReview    declines of one card in the last hour from which it is held
     * @param ipCardsPerHourBlock          distinct cards from one IP address in the last hour from which it is refused
     */
    public record Rules(
            @DefaultValue("10") int cardPaymentsPerMinuteReview,
            @DefaultValue("60") int cardPaymentsPerHourBlock,
            @DefaultValue("6") int cardDeclinesPerHourReview,
            @DefaultValue("20") int ipCardsPerHourBlock) {

        public Rules {
            if (cardPaymentsPerMinuteReview < 1 || cardPaymentsPerHourBlock < 1 || cardDeclinesPerHourReview < 1
                    || ipCardsPerHourBlock < 1) {
                throw new IllegalArgumentException("rule thresholds must be positive");
            }
        }

        public static Rules defaults() {
            return new Rules(10, 60, 6, 20);
        }
    }

    /** Bounds of the in-memory feature store; roughly 0.6 KiB per card or IP address held. */
    public record FeatureLimits(
            @DefaultValue("50000") int maxCards,
            @DefaultValue("10000") int maxMerchants,
            @DefaultValue("50000") int maxIps) {

        public static FeatureLimits defaults() {
            return new FeatureLimits(50_000, 10_000, 50_000);
        }
    }
}
