package dev.nightjar.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PanMaskerTest {

    @Test
    void cardNumbersKeepOnlyTheirLastFourDigits() {
        assertThat(PanMasker.mask("card 4242424242424242 declined")).isEqualTo("card ************4242 declined");
        assertThat(PanMasker.mask("amex 378282246310005")).isEqualTo("amex ***********0005");
    }

    @Test
    void cardNumbersWithSpacesOrDashesAreMaskedToo() {
        assertThat(PanMasker.mask("4242 4242 4242 4242")).isEqualTo("**** **** **** 4242");
        assertThat(PanMasker.mask("5555-5555-5555-4444")).isEqualTo("****-****-****-4444");
    }

    @Test
    void cardNumberHiddenInsideALongerDigitRunIsMasked() {
        assertThat(PanMasker.mask("x004242424242424242x")).doesNotContain("4242424242424242");
    }

    @Test
    void cardNumberInJsonIsMasked() {
        String masked = PanMasker.mask("{\"number\":\"4000000000009995\",\"exp_month\":12}");
        assertThat(masked).doesNotContain("4000000000009995").contains("9995");
    }

    @Test
    void numbersThatAreNotCardNumbersStayReadable() {
        assertThat(PanMasker.mask("amount 1999 at 2026-11-24 id 12345")).isEqualTo("amount 1999 at 2026-11-24 id 12345");
        // Shorter than any card number.
        assertThat(PanMasker.mask("ref 42424242424")).isEqualTo("ref 42424242424");
        assertThat(PanMasker.mask(null)).isNull();
    }

    @Test
    void longDigitRunsAreMaskedWheneverAnyCardLengthWindowPassesLuhn() {
        // Deliberately aggressive: a card number glued to other digits must not slip through, so a long
        // number that merely contains a Luhn-valid window is masked too. Logs carry no such numbers.
        assertThat(PanMasker.mask("4242424242424241")).contains("*");
    }

    @Test
    void luhnShapeIsRecognised() {
        assertThat(PanMasker.looksLikePan("4242 4242 4242 4242")).isTrue();
        assertThat(PanMasker.looksLikePan("4242424242424241")).isFalse();
        assertThat(PanMasker.looksLikePan("42424242")).isFalse();
    }
}
