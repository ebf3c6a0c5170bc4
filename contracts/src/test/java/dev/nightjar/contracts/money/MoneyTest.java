package dev.nightjar.contracts.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void amountsInTheSameCurrencyAddAndSubtractExactly() {
        assertThat(Money.of(1999, "EUR").plus(Money.of(1, "EUR"))).isEqualTo(Money.of(2000, "EUR"));
        assertThat(Money.of(1999, "EUR").minus(Money.of(2000, "EUR"))).isEqualTo(Money.of(-1, "EUR"));
    }

    @Test
    void differentCurrenciesNeverMix() {
        assertThatThrownBy(() -> Money.of(1, "EUR").plus(Money.of(1, "USD")))
                .isInstanceOf(CurrencyMismatchException.class).hasMessageContaining("EUR and USD");
        assertThatThrownBy(() -> Money.of(1, "EUR").compareTo(Money.of(1, "USD")))
                .isInstanceOf(CurrencyMismatchException.class);
    }

    @Test
    void overflowFailsLoudlyInsteadOfWrapping() {
        assertThatThrownBy(() -> Money.of(Long.MAX_VALUE, "EUR").plus(Money.of(1, "EUR")))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Money.of(Long.MIN_VALUE, "EUR").negate()).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void majorUnitsFollowTheCurrencyExponent() {
        assertThat(Money.of(1999, "EUR").toMajor()).isEqualByComparingTo(new BigDecimal("19.99"));
        assertThat(Money.of(1999, "JPY").toMajor()).isEqualByComparingTo(new BigDecimal("1999"));
        assertThat(Money.of(1999, "BHD").toMajor()).isEqualByComparingTo(new BigDecimal("1.999"));
        assertThat(Money.of(1999, "EUR")).hasToString("19.99 EUR");
    }

    @Test
    void unknownCurrencyIsRefused() {
        assertThatThrownBy(() -> Money.of(1, "XYZ")).isInstanceOf(UnknownCurrencyException.class);
        assertThatThrownBy(() -> Money.of(1, "eur")).isInstanceOf(UnknownCurrencyException.class);
    }
}
