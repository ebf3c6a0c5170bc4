package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import org.junit.jupiter.api.Test;

class PagesTest {

    @Test
    void limitIsOneToAHundredInPlainDigits() {
        assertThat(Pages.limit(null)).isEqualTo(10);
        assertThat(Pages.limit("1")).isEqualTo(1);
        assertThat(Pages.limit("100")).isEqualTo(100);
        assertThat(Pages.limit("007")).isEqualTo(7);
        for (String refused : new String[] {"", "0", "101", "+5", "-1", " 5", "5 ", "1e1", "1.0", "ten", "99999999999"}) {
            assertThatThrownBy(() -> Pages.limit(refused)).as("'%s'", refused)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.error().param()).isEqualTo("limit"));
        }
    }
}
