package dev.nightjar.common.text;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.text.FreeText.Lines;
import dev.nightjar.common.text.FreeText.Problem;
import org.junit.jupiter.api.Test;

class FreeTextTest {

    @Test
    void everyC0AndC1ControlAndDelIsRefusedAnywhere() {
        for (char c = 0; c <= 0x9F; c++) {
            boolean control = c <= 0x1F || c >= 0x7F;
            boolean lineBreak = c == '\t' || c == '\n' || c == '\r';
            Problem problem = FreeText.problem("a" + c + "b", Lines.MULTI);
            if (control && !lineBreak) {
                assertThat(problem).as("U+%04X", (int) c).isEqualTo(Problem.CONTROL_CHARACTER);
            } else {
                assertThat(problem).as("U+%04X", (int) c).isNull();
            }
        }
    }

    @Test
    void tabAndLineBreaksAreAllowedOnlyWhereTextMaySpanLines() {
        for (String text : new String[] {"a\tb", "a\nb", "a\r\nb"}) {
            assertThat(FreeText.problem(text, Lines.MULTI)).isNull();
            assertThat(FreeText.problem(text, Lines.SINGLE)).isEqualTo(Problem.LINE_BREAK);
        }
    }

    @Test
    void unpairedSurrogatesAreRefusedAndPairsKept() {
        assertThat(FreeText.problem("a\uD800b", Lines.MULTI)).isEqualTo(Problem.UNPAIRED_SURROGATE);
        assertThat(FreeText.problem("a\uDC00", Lines.MULTI)).isEqualTo(Problem.UNPAIRED_SURROGATE);
        assertThat(FreeText.problem("\uDC00\uD800", Lines.MULTI)).isEqualTo(Problem.UNPAIRED_SURROGATE);
        assertThat(FreeText.problem("\uD800", Lines.MULTI)).isEqualTo(Problem.UNPAIRED_SURROGATE);
        assertThat(FreeText.problem("paid \uD83D\uDCB3 ok, caf\u00e9, \u202e, \uFEFF", Lines.MULTI)).isNull();
    }

    @Test
    void aCardNumberInAnyFormIsRefusedButNotInItsOwnField() {
        for (String text : new String[] {"4242424242424242", "card 4242 4242 4242 4242 thanks", "5555-5555-5555-4444",
                "x378282246310005"}) {
            assertThat(FreeText.problem(text, Lines.MULTI)).as(text).isEqualTo(Problem.CARD_NUMBER);
            assertThat(FreeText.characterProblem(text, Lines.SINGLE)).as(text).isNull();
        }
        assertThat(FreeText.problem("order 123456789012", Lines.SINGLE)).as("12 digits failing Luhn").isNull();
    }
}
