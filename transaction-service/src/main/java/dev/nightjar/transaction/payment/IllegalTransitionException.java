package dev.nightjar.transaction.payment;

/** A command the payment's current state does not allow. */
public final class IllegalTransitionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final PaymentStatus current;
    private final String attempted;

    public IllegalTransitionException(PaymentStatus current, String attempted) {
        super("cannot " + attempted + " a payment in status " + current.describe());
        this.current = current;
        this.attempted = attempted;
    }

    public PaymentStatus current() {
        return current;
    }

    public String attempted() {
        return attempted;
    }
}
