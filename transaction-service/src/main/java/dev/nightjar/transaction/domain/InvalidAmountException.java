package dev.nightjar.transaction.domain;

/** An amount the payment's state does not allow: more than is capturable or refundable, or not positive. */
public final class InvalidAmountException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidAmountException(String message) {
        super(message);
    }
}
