package dev.nightjar.transaction.domain;

/** A command the payment's current state does not allow. */
public final class IllegalTransitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final PaymentState current;
    private final String attempted;

    public IllegalTransitionException(PaymentState current, String attempted) {
        super("cannot " + attempted + " a payment in status " + current.describe());
        this.current = current;
        this.attempted = attempted;
    }

    public PaymentState current() {
        return current;
    }

    public String attempted() {
        return attempted;
    }
}
