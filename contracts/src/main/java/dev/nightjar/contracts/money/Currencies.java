package dev.nightjar.contracts.money;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The ISO 4217 currencies Nightjar accepts, loaded once from {@code iso4217.csv}. */
public final class Currencies {

    private static final Map<String, CurrencyUnit> BY_CODE = load();

    private Currencies() {
    }

    /** The currency with this alpha code, or empty when it is not an active ISO 4217 code (codes are case-sensitive). */
    public static Optional<CurrencyUnit> find(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(BY_CODE.get(code));
    }

    /** The currency with this alpha code; throws {@link UnknownCurrencyException} for anything else. */
    public static CurrencyUnit of(String code) {
        return find(code).orElseThrow(() -> new UnknownCurrencyException(code));
    }

    public static boolean isKnown(String code) {
        return find(code).isPresent();
    }

    public static Collection<CurrencyUnit> all() {
        return Collections.unmodifiableCollection(BY_CODE.values());
    }

    private static Map<String, CurrencyUnit> load() {
        Map<String, CurrencyUnit> units = new TreeMap<>();
        try (InputStream in = Currencies.class.getResourceAsStream("iso4217.csv")) {
            if (in == null) {
                throw new IllegalStateException("iso4217.csv is missing from the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] fields = line.split(",");
                CurrencyUnit unit = new CurrencyUnit(fields[0].trim(), fields[1].trim(), Integer.parseInt(fields[2].trim()));
                if (units.put(unit.code(), unit) != null) {
                    throw new IllegalStateException("duplicate currency in iso4217.csv: " + unit.code());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(units);
    }
}
