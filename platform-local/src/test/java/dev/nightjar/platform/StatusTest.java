package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusTest {

    @Test
    void aServiceThatLostItsDependenciesSaysWhichInStatus() {
        String health = """
                {"status":"DOWN","components":{"db":{"status":"DOWN"},"diskSpace":{"status":"UP"},
                 "kafka":{"status":"DOWN","details":{"error":"broker unreachable"}},"ping":{"status":"UP"}}}""";
        assertThat(Platform.downComponents(health, "HTTP 503")).isEqualTo("database, broker unreachable");
    }

    @Test
    void anAnswerWithoutComponentsFallsBackToTheHttpStatus() {
        assertThat(Platform.downComponents("<html>", "HTTP 503")).isEqualTo("HTTP 503");
        assertThat(Platform.downComponents("{\"status\":\"DOWN\"}", "HTTP 503")).isEqualTo("HTTP 503");
    }
}
