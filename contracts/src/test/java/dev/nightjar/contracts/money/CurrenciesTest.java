package dev.nightjar.contracts.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CurrenciesTest {

    @Test
    void exponentsFollowIso4217() {
        assertThat(Currencies.of("EUR").exponent()).isEqualTo(2);
        assertThat(Currencies.of("JPY").exponent()).isZero();
        assertThat(Currencies.of("BHD").exponent()).isEqualTo(3);
        assertThat(Currencies.of("CLF").exponent()).isEqualTo(4);
        assertThat(Currencies.of("EUR").minorUnitsPerMajor()).isEqualTo(100);
    }

    @Test
    void tableAgreesWithTheJdkWhereverTheJdkKnowsTheCurrency() {
        // Codes the JDK's tables lag behind on (introduced or redefined recently).
        Set<String> newerThanJdk = Set.of("VED", "SLE", "ZWG", "XCG", "UYW");
        List<String> disagreements = new ArrayList<>();
        for (CurrencyUnit unit : Currencies.all()) {
            if (newerThanJdk.contains(unit.code())) {
                continue;
            }
            try {
                Currency jdk = Currency.getInstance(unit.code());
                if (jdk.getDefaultFractionDigits() != unit.exponent()
                        || !String.format("%03d", jdk.getNumericCode()).equals(unit.numericCode())) {
                    disagreements.add(unit.code());
                }
            } catch (IllegalArgumentException e) {
                disagreements.add(unit.code() + " (unknown to the JDK)");
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void fundsAndMetalsWithoutMinorUnitsAreNotAccepted() {
        assertThat(Currencies.isKnown("XAU")).isFalse();
        assertThat(Currencies.isKnown("XXX")).isFalse();
        assertThat(Currencies.isKnown(null)).isFalse();
    }
}
