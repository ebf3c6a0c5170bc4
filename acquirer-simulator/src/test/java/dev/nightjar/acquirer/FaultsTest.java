package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import org.junit.jupiter.api.Test;

class FaultsTest {

    private static final Faults.Settings NORMAL = new Faults.Settings(0, 0, false, 20, 200, 0);

    @Test
    void latencyIsLogNormalBetweenTheMedianAndTheNinetyNinthPercentile() {
        assertThat(Faults.latency(NORMAL, 0)).isEqualTo(20);
        assertThat(Faults.latency(NORMAL, 2.3263478740408408)).isEqualTo(200);
        assertThat(Faults.latency(NORMAL, -2.3263478740408408)).isEqualTo(2);
        assertThat(Faults.latency(new Faults.Settings(0, 0, false, 0, 0, 0), 3)).isZero();
    }

    @Test
    void anOutageRefusesEveryCallAndAnErrorRateOfOneEveryCall() {
        Faults faults = new Faults(NORMAL);
        assertThat(faults.admit().hang()).isFalse();
        faults.set(new Faults.Settings(0, 0, true, 0, 0, 0));
        assertThatThrownBy(faults::admit).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        faults.set(new Faults.Settings(1, 0, false, 0, 0, 0));
        assertThatThrownBy(faults::admit).isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(500));
        faults.set(new Faults.Settings(0, 1, false, 0, 0, 250));
        Faults.Plan plan = faults.admit();
        assertThat(plan.hang()).isTrue();
        assertThat(plan.delay().toMillis()).isEqualTo(250);
        assertThat(faults.reset()).isEqualTo(NORMAL);
    }

    @Test
    void ratesOutsideZeroToOneAndInvertedPercentilesAreRefused() {
        assertThatThrownBy(() -> new Faults.Settings(1.5, 0, false, 0, 0, 0)).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> new Faults.Settings(0, 0, false, 100, 50, 0)).isInstanceOf(ApiException.class);
    }
}
