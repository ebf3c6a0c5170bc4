package dev.nightjar.transaction.payment;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.web.ApiExceptionHandler;
import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.RefundObject;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.contract.TransactionContract.CancelPayment;
import dev.nightjar.contracts.contract.TransactionContract.CapturePayment;
import dev.nightjar.contracts.contract.TransactionContract.CreatePayment;
import dev.nightjar.contracts.contract.TransactionContract.CreateRefund;
import dev.nightjar.transaction.domain.IllegalTransitionException;
import dev.nightjar.transaction.domain.InvalidAmountException;
import dev.nightjar.transaction.payment.PaymentRefusedException.Reason;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Payments and refunds on behalf of merchants; the gateway has already authenticated the merchant. */
@RestController
class PaymentController {

    static final String EXISTING_HEADER = "Nightjar-Existing";

    private final PaymentService payments;

    PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    @PostMapping(TransactionContract.PAYMENTS)
    ResponseEntity<PaymentObject> create(@PathVariable String merchantId, @RequestBody CreatePayment command) {
        PaymentService.Created created = payments.create(merchantId, command);
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(EXISTING_HEADER, Boolean.toString(created.existing()))
                .body(created.payment());
    }

    @GetMapping(TransactionContract.PAYMENTS)
    ListObject<PaymentObject> list(@PathVariable String merchantId,
                                   @RequestParam(name = "status", required = false) String status,
                                   @RequestParam(name = "starting_after", required = false) String startingAfter,
                                   @RequestParam(defaultValue = "10") int limit) {
        return payments.list(merchantId, status, startingAfter, limit(limit));
    }

    @GetMapping(TransactionContract.PAYMENT)
    PaymentObject get(@PathVariable String merchantId, @PathVariable String paymentId) {
        return payments.get(merchantId, paymentId);
    }

    @PostMapping(TransactionContract.CAPTURE)
    PaymentObject capture(@PathVariable String merchantId, @PathVariable String paymentId,
                          @RequestBody(required = false) CapturePayment command) {
        return payments.capture(merchantId, paymentId, command == null ? null : command.amountMinor(),
                command == null ? null : command.idempotencyKey());
    }

    @GetMapping(TransactionContract.REVIEWS)
    ListObject<PaymentObject> reviews(@PathVariable String merchantId,
                                      @RequestParam(name = "starting_after", required = false) String startingAfter,
                                      @RequestParam(defaultValue = "10") int limit) {
        return payments.reviews(merchantId, startingAfter, limit(limit));
    }

    @PostMapping(TransactionContract.APPROVE)
    PaymentObject approve(@PathVariable String merchantId, @PathVariable String paymentId) {
        return payments.approveReview(merchantId, paymentId);
    }

    @PostMapping(TransactionContract.CANCEL)
    PaymentObject cancel(@PathVariable String merchantId, @PathVariable String paymentId,
                         @RequestBody(required = false) CancelPayment command) {
        return payments.cancel(merchantId, paymentId, command == null ? null : command.idempotencyKey());
    }

    @PostMapping(TransactionContract.REFUNDS)
    ResponseEntity<RefundObject> refund(@PathVariable String merchantId, @PathVariable String paymentId,
                                        @RequestBody(required = false) CreateRefund command) {
        CreateRefund refund = command == null ? new CreateRefund(null, null, null) : command;
        PaymentService.RefundCreated created = payments.refund(merchantId, paymentId, refund.idempotencyKey(),
                refund.amountMinor(), refund.reason());
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(EXISTING_HEADER, Boolean.toString(created.existing()))
                .body(created.refund());
    }

    @GetMapping(TransactionContract.REFUNDS)
    ListObject<RefundObject> refunds(@PathVariable String merchantId, @PathVariable String paymentId,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter,
                                     @RequestParam(defaultValue = "10") int limit) {
        return payments.refunds(merchantId, paymentId, startingAfter, limit(limit));
    }

    @ExceptionHandler(IllegalTransitionException.class)
    ResponseEntity<ErrorResponse> illegalTransition(IllegalTransitionException e) {
        return ApiExceptionHandler.render(ApiException.unexpectedState("payment", e.current().describe(), e.attempted()));
    }

    @ExceptionHandler(InvalidAmountException.class)
    ResponseEntity<ErrorResponse> invalidAmount(InvalidAmountException e) {
        return ApiExceptionHandler.render(ApiException.invalidParameter("amount", e.getMessage()));
    }

    /** The service's refusals, each with its status: the only place in transaction-service that knows them. */
    @ExceptionHandler(PaymentRefusedException.class)
    ResponseEntity<ErrorResponse> refused(PaymentRefusedException e) {
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

    private static int limit(int limit) {
        if (limit < 1 || limit > 100) {
            throw ApiException.invalidParameter("limit", "limit must be from 1 to 100.");
        }
        return limit;
    }
}
