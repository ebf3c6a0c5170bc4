package dev.nightjar.contracts.money;

/** A currency code that is not an active ISO 4217 alpha code. */
public final class UnknownCurrencyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String code;

    public UnknownCurrencyException(String code) {
        super("unknown currency: " + code);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
