package dev.nightjar.contracts.money;

/** An ISO 4217 currency: its alpha code, numeric code and the exponent of its minor unit (EUR 2, JPY 0, BHD 3). */
public record CurrencyUnit(String code, String numericCode, int exponent) {

    public CurrencyUnit {
        if (code == null || !code.matches("[A-Z]{3}")) {
            throw new IllegalArgumentException("currency code must be three upper-case letters: " + code);
        }
        if (numericCode == null || !numericCode.matches("[0-9]{3}")) {
            throw new IllegalArgumentException("numeric code must be three digits: " + numericCode);
        }
        if (exponent < 0 || exponent > 4) {
            throw new IllegalArgumentException("minor unit exponent out of range: " + exponent);
        }
    }

    /** How many minor units make one major unit: 100 for EUR, 1 for JPY, 1000 for BHD. */
    public long minorUnitsPerMajor() {
        long factor = 1;
        for (int i = 0; i < exponent; i++) {
            factor *= 10;
        }
        return factor;
    }

    @Override
    public String toString() {
        return code;
    }
}
