package dev.nightjar.contracts.card;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CardNumbersTest {

    @Test
    void luhnValidNumbersOfCardLengthAreValid() {
        assertThat(CardNumbers.isValid("4242424242424242")).isTrue();
        assertThat(CardNumbers.isValid("378282246310005")).isTrue();
        assertThat(CardNumbers.isValid("4242424242424241")).isFalse();
        assertThat(CardNumbers.isValid("42424242424")).isFalse();
        assertThat(CardNumbers.isValid("4242 4242 4242 4242")).isFalse();
        assertThat(CardNumbers.isValid("42424242424242424242")).isFalse();
        assertThat(CardNumbers.isValid(null)).isFalse();
    }

    @Test
    void brandFollowsTheBinRanges() {
        assertThat(CardNumbers.brand("4242424242424242")).isEqualTo("visa");
        assertThat(CardNumbers.brand("5555555555554444")).isEqualTo("mastercard");
        assertThat(CardNumbers.brand("2223003122003222")).isEqualTo("mastercard");
        assertThat(CardNumbers.brand("378282246310005")).isEqualTo("amex");
        assertThat(CardNumbers.brand("6011111111111117")).isEqualTo("discover");
        assertThat(CardNumbers.brand("3530111333300000")).isEqualTo("jcb");
        assertThat(CardNumbers.brand("9999999999999995")).isEqualTo("unknown");
    }

    @Test
    void binAndLastFourAreTheOnlyDigitsExposed() {
        assertThat(CardNumbers.bin("4242424242424242")).isEqualTo("424242");
        assertThat(CardNumbers.last4("4242424242424242")).isEqualTo("4242");
    }
}
