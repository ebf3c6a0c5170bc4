package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentPathWarmUpTest {

    @Test
    void withoutTheVariableTheWarmUpLastsThirtySeconds() {
        assertThat(PaymentPathWarmUp.length(Map.of())).isEqualTo(Duration.ofSeconds(30));
        assertThat(PaymentPathWarmUp.length(Map.of(PaymentPathWarmUp.SECONDS_VARIABLE, " "))).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theVariableSetsTheLengthAndZeroLeavesTheWarmUpOut() {
        assertThat(PaymentPathWarmUp.length(Map.of(PaymentPathWarmUp.SECONDS_VARIABLE, "40"))).isEqualTo(Duration.ofSeconds(40));
        assertThat(PaymentPathWarmUp.length(Map.of(PaymentPathWarmUp.SECONDS_VARIABLE, "0"))).isZero();
        assertThat(PaymentPathWarmUp.length(Map.of(PaymentPathWarmUp.SECONDS_VARIABLE, "600"))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aLengthThatIsNotWholeSecondsFromZeroToTenMinutesIsRefusedNamingTheVariable() {
        for (String bad : new String[] {"-1", "601", "15s", "1.5", "fifteen"}) {
            assertThatThrownBy(() -> PaymentPathWarmUp.length(Map.of(PaymentPathWarmUp.SECONDS_VARIABLE, bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NIGHTJAR_WARM_UP_SECONDS")
                    .hasMessageContaining("'" + bad + "'");
        }
    }
}
