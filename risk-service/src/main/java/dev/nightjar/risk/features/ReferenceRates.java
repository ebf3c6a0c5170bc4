package dev.nightjar.risk.features;

import dev.nightjar.contracts.money.Currencies;
import dev.nightjar.contracts.money.CurrencyUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rough euro values of the currencies merchants use most, so that amounts in different currencies share one
 * scale for the model (500 JPY is a small payment, 500 BHD a large one). A risk feature needs the order of
 * magnitude, not the day's rate; a currency missing here counts one major unit as one euro.
 */
public final class ReferenceRates {

    private static final Map<String, Double> EUR_PER_MAJOR_UNIT = Map.ofEntries(
            Map.entry("EUR", 1.0), Map.entry("USD", 0.92), Map.entry("GBP", 1.17), Map.entry("CHF", 1.04),
            Map.entry("JPY", 0.0061), Map.entry("SEK", 0.087), Map.entry("NOK", 0.085), Map.entry("DKK", 0.134),
            Map.entry("PLN", 0.23), Map.entry("CZK", 0.04), Map.entry("HUF", 0.0025), Map.entry("RON", 0.2),
            Map.entry("CAD", 0.68), Map.entry("AUD", 0.61), Map.entry("NZD", 0.56), Map.entry("CNY", 0.13),
            Map.entry("HKD", 0.118), Map.entry("SGD", 0.69), Map.entry("INR", 0.011), Map.entry("BRL", 0.17),
            Map.entry("MXN", 0.05), Map.entry("ZAR", 0.05), Map.entry("TRY", 0.027), Map.entry("AED", 0.25),
            Map.entry("BHD", 2.44), Map.entry("KWD", 3.0), Map.entry("OMR", 2.39), Map.entry("JOD", 1.3));

    private ReferenceRates() {
    }

    /** Euros per minor unit of each ISO 4217 currency seen so far; bounded by the ISO list. */
    private static final Map<String, Double> EUR_PER_MINOR_UNIT = new ConcurrentHashMap<>();

    /** The amount in euros, roughly: minor units scaled by the currency's exponent and reference rate. */
    public static double euros(long amountMinor, String currency) {
        Double perMinor = currency == null ? null : EUR_PER_MINOR_UNIT.get(currency);
        if (perMinor == null) {
            perMinor = eurPerMinorUnit(currency);
            if (Currencies.isKnown(currency)) {
                EUR_PER_MINOR_UNIT.putIfAbsent(currency, perMinor);
            }
        }
        return amountMinor * perMinor;
    }

    private static double eurPerMinorUnit(String currency) {
        long minorPerMajor = Currencies.find(currency).map(CurrencyUnit::minorUnitsPerMajor).orElse(100L);
        return eurPerMajorUnit(currency) / minorPerMajor;
    }

    /** The euro rate of one major unit, or 1 for a currency without a reference rate. */
    public static double eurPerMajorUnit(String currency) {
        return currency == null ? 1.0 : EUR_PER_MAJOR_UNIT.getOrDefault(currency, 1.0);
    }
}
