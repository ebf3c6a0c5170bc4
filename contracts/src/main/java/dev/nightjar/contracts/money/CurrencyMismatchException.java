package dev.nightjar.contracts.money;

/** Two amounts in different currencies were combined; money of different currencies never mixes. */
public final class CurrencyMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public CurrencyMismatchException(String left, String right) {
        super("currency mismatch: " + left + " and " + right);
    }
}
