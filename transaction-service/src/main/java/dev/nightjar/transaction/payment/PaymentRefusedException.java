package dev.nightjar.transaction.payment;

/**
 * Why {@link PaymentService} does not do what it was asked, in the payment's own terms. Nothing below the
 * web edge knows an HTTP status: {@link PaymentController} answers each reason with its status and the
 * contract's error shape. Never carries a card number.
 */
public final class PaymentRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What stood in the way. */
    public sealed interface Reason {

        /** No such payment or refund for this merchant (or it is another merchant's). */
        record NotFound(String what, String id) implements Reason {
        }

        /** A parameter of the request is wrong; {@code message} says how, without repeating its value. */
        record InvalidParameter(String parameter, String message) implements Reason {
        }

        /** Other requests kept changing the payment first; nothing was changed by this one. */
        record ConcurrentUpdate(String paymentId) implements Reason {
        }

        /** The acquirer declined the {@code action} (capture, cancel) with {@code declineCode}; nothing changed. */
        record Declined(String action, String declineCode) implements Reason {
        }

        /** The acquirer failed the {@code action} for certain: nothing moved, asking again is free. */
        record AcquirerFailed(String action) implements Reason {
        }

        /**
         * The acquirer's answer to the {@code action} is not known, or it could not be reached at all
         * ({@code sent} false: its breaker open, its bulkhead full); the same request may be sent again.
         */
        record AcquirerUnavailable(String action, boolean sent) implements Reason {
        }

        /** auth-service counts as away: nothing was written, the same request may be sent again. */
        record AcquirersUnreachable() implements Reason {
        }
    }

    private final transient Reason reason;

    public PaymentRefusedException(Reason reason) {
        super(reason.toString(), null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static PaymentRefusedException notFound(String what, String id) {
        return new PaymentRefusedException(new Reason.NotFound(what, id));
    }

    public static PaymentRefusedException invalidParameter(String parameter, String message) {
        return new PaymentRefusedException(new Reason.InvalidParameter(parameter, message));
    }

    public static PaymentRefusedException concurrentUpdate(String paymentId) {
        return new PaymentRefusedException(new Reason.ConcurrentUpdate(paymentId));
    }

    public static PaymentRefusedException acquirersUnreachable() {
        return new PaymentRefusedException(new Reason.AcquirersUnreachable());
    }
}
