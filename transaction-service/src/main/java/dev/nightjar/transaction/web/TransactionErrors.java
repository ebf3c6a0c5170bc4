package dev.nightjar.transaction.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.web.ApiExceptionHandler;
import dev.nightjar.transaction.domain.IllegalTransitionException;
import dev.nightjar.transaction.domain.InvalidAmountException;
import dev.nightjar.transaction.payment.PaymentRefusedException;
import dev.nightjar.transaction.payment.PaymentRefusedException.Reason;
import java.util.Map;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * transaction-service's web edge for what its services refuse: each refusal, illegal transition and invalid
 * amount answered with its HTTP status in the contract's error shape. The only place in transaction-service,
 * with the controllers, that knows HTTP statuses.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TransactionErrors {

    /** A page's size as asked for, from 1 to 100; anything else is a 400 naming {@code limit}. */
    public static int limit(int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.invalidParameter("limit", "limit must be from 1 to 100.");
        }
        return limit;
    }

    @ExceptionHandler(IllegalTransitionException.class)
    public ResponseEntity<ErrorResponse> illegalTransition(IllegalTransitionException e) {
        return ApiExceptionHandler.render(ApiException.unexpectedState("payment", e.current().describe(), e.attempted()));
    }

    @ExceptionHandler(InvalidAmountException.class)
    public ResponseEntity<ErrorResponse> invalidAmount(InvalidAmountException e) {
        return ApiExceptionHandler.render(ApiException.invalidParameter("amount", e.getMessage()));
    }

    /** The services' refusals, each with its status. */
    @ExceptionHandler(PaymentRefusedException.class)
    public ResponseEntity<ErrorResponse> refused(PaymentRefusedException e) {
        return ApiExceptionHandler.render(switch (e.reason()) {
            case Reason.NotFound notFound -> ApiException.notFound(notFound.what(), notFound.id());
            case Reason.InvalidParameter invalid -> ApiException.invalidParameter(invalid.parameter(), invalid.message());
            case Reason.ConcurrentUpdate conflict -> new ApiException(409, ApiError.of(ErrorType.INVALID_REQUEST,
                    "concurrent_update", "Payment " + conflict.paymentId() + " is being changed by another request; try again."));
            case Reason.Declined declined -> new ApiException(402, new ApiError(ErrorType.INVALID_REQUEST.wireName(),
                    "acquirer_declined", "The acquirer declined the " + declined.action() + ".", null, declined.declineCode()));
            case Reason.AcquirerFailed failed -> new ApiException(502, ApiError.of(ErrorType.API, "acquirer_failure",
                    "The acquirer could not " + failed.action() + " the payment; nothing changed. Try again."));
            case Reason.AcquirerUnavailable unavailable -> new ApiException(503, ApiError.of(ErrorType.API,
                    "acquirer_unavailable", unavailable.sent()
                            ? "The acquirer did not answer the " + unavailable.action() + " in time. Retrying the same"
                                    + " request (same Idempotency-Key) is safe; Nightjar also finishes it by itself."
                            : "The acquirer cannot be reached for a moment; nothing was sent and nothing changed. Retry the"
                                    + " same request (same Idempotency-Key)."),
                    Map.of(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS));
            case Reason.AcquirersUnreachable away -> ApiException.unavailable("Payments cannot reach the acquirers for a"
                    + " moment; nothing was changed. Retry with the same Idempotency-Key.");
        });
    }
}
