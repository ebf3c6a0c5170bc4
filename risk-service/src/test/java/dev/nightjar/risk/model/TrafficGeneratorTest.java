package dev.nightjar.risk.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.risk.model.TrafficGenerator.GeneratedPayment;
import dev.nightjar.risk.model.TrafficGenerator.Pattern;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TrafficGeneratorTest {

    private static TrafficGenerator.Settings settings(long seed) {
        return new TrafficGenerator.Settings(seed, Instant.parse("2025-03-03T00:00:00Z"), 10, 60, 0.04, 0.002);
    }

    @Test
    void theSameSeedGeneratesTheSamePayments() {
        assertThat(TrafficGenerator.generate(settings(42))).isEqualTo(TrafficGenerator.generate(settings(42)));
    }

    @Test
    void anotherSeedGeneratesOtherPayments() {
        assertThat(TrafficGenerator.generate(settings(43))).isNotEqualTo(TrafficGenerator.generate(settings(42)));
    }

    @Test
    void fraudIsOneToFourPercentOfPaymentsAndEveryPatternOccurs() {
        List<GeneratedPayment> payments = TrafficGenerator.generate(settings(42));
        double fraudRate = payments.stream().filter(GeneratedPayment::fraud).count() / (double) payments.size();

        assertThat(fraudRate).isBetween(0.01, 0.04);
        Set<Pattern> patterns = payments.stream().map(GeneratedPayment::pattern).collect(Collectors.toSet());
        assertThat(patterns).isEqualTo(EnumSet.allOf(Pattern.class));
    }

    @Test
    void labelsDisagreeWithTheTruthAtRoughlyTheConfiguredNoise() {
        List<GeneratedPayment> payments = TrafficGenerator.generate(settings(42));
        long fraud = payments.stream().filter(GeneratedPayment::fraud).count();
        long fraudLabelledLegitimate = payments.stream().filter(p -> p.fraud() && !p.label()).count();
        long legitimate = payments.size() - fraud;
        long legitimateLabelledFraud = payments.stream().filter(p -> !p.fraud() && p.label()).count();

        assertThat(fraudLabelledLegitimate / (double) fraud).isBetween(0.02, 0.06);
        assertThat(legitimateLabelledFraud / (double) legitimate).isBetween(0.001, 0.003);
    }

    @Test
    void paymentsComeInTimeOrderWithinThePeriod() {
        List<GeneratedPayment> payments = TrafficGenerator.generate(settings(7));
        long start = Instant.parse("2025-03-03T00:00:00Z").toEpochMilli();

        for (int i = 1; i < payments.size(); i++) {
            assertThat(payments.get(i).timeMillis()).isGreaterThanOrEqualTo(payments.get(i - 1).timeMillis());
        }
        assertThat(payments.get(0).timeMillis()).isGreaterThanOrEqualTo(start);
    }

    @Test
    void cardTestingIsManySmallPaymentsOnFreshCardsMostlyDeclined() {
        List<GeneratedPayment> testing = TrafficGenerator.generate(settings(42)).stream()
                .filter(p -> p.pattern() == Pattern.CARD_TESTING).toList();

        assertThat(testing).hasSizeGreaterThan(25);
        assertThat(testing.stream().map(GeneratedPayment::fingerprint).distinct().count()).isEqualTo(testing.size());
        assertThat(testing.stream().filter(GeneratedPayment::declined).count() / (double) testing.size()).isBetween(0.55, 0.85);
        assertThat(testing).allMatch(p -> p.amountMinor() <= 600);
    }
}
