package dev.nightjar.contracts.money;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An exact amount of money: a signed count of minor units and an ISO 4217 currency.
 * Never a float; arithmetic overflows loudly instead of wrapping.
 */
public record Money(long amountMinor, CurrencyUnit currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(long amountMinor, String currencyCode) {
        return new Money(amountMinor, Currencies.of(currencyCode));
    }

    public static Money zero(String currencyCode) {
        return of(0, currencyCode);
    }

    public String currencyCode() {
        return currency.code();
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(amountMinor, other.amountMinor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(amountMinor, other.amountMinor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(amountMinor), currency);
    }

    public boolean isPositive() {
        return amountMinor > 0;
    }

    public boolean isZero() {
        return amountMinor == 0;
    }

    public boolean isNegative() {
        return amountMinor < 0;
    }

    /** The amount in major units as an exact decimal, for display only: 1999 EUR becomes 19.99. */
    public BigDecimal toMajor() {
        return BigDecimal.valueOf(amountMinor, currency.exponent());
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(amountMinor, other.amountMinor);
    }

    private void requireSameCurrency(Money other) {
        if (!currency.code().equals(other.currency.code())) {
            throw new CurrencyMismatchException(currency.code(), other.currency.code());
        }
    }

    @Override
    public String toString() {
        return toMajor().toPlainString() + " " + currency.code();
    }
}
