package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI's whole-number variables: the fallback when unset, the number when set, a refusal naming the variable. */
class CliEnvironmentTest {

    @Test
    void anUnsetOrBlankVariableGivesTheFallback() {
        assertThat(Cli.intFrom(Map.of(), "NIGHTJAR_BASE_PORT", 9100)).isEqualTo(9100);
        assertThat(Cli.intFrom(Map.of("NIGHTJAR_BASE_PORT", " "), "NIGHTJAR_BASE_PORT", 9100)).isEqualTo(9100);
    }

    @Test
    void aWholeNumberIsReadAroundSpaces() {
        assertThat(Cli.intFrom(Map.of("NIGHTJAR_BASE_PORT", " 19100 "), "NIGHTJAR_BASE_PORT", 9100)).isEqualTo(19100);
    }

    @Test
    void anythingElseIsRefusedNamingTheVariableAndTheValue() {
        assertThatThrownBy(() -> Cli.intFrom(Map.of("NIGHTJAR_GATEWAY_PORT", "8443s"), "NIGHTJAR_GATEWAY_PORT", 8443))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("NIGHTJAR_GATEWAY_PORT must be a whole number, not '8443s'");
    }
}
