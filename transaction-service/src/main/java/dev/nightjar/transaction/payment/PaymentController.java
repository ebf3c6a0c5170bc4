package dev.nightjar.transaction.payment;

import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.contract.TransactionContract.CancelPayment;
import dev.nightjar.contracts.contract.TransactionContract.CapturePayment;
import dev.nightjar.contracts.contract.TransactionContract.CreatePayment;
import dev.nightjar.transaction.web.TransactionErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Payments on behalf of merchants (their reviews are {@code ReviewController}'s); the gateway has already authenticated the merchant. */
@RestController
class PaymentController {

    private final PaymentService payments;

    PaymentController(PaymentService payments) {
        this.payments = payments;
    }

    @PostMapping(TransactionContract.PAYMENTS)
    ResponseEntity<PaymentObject> create(@PathVariable String merchantId, @RequestBody CreatePayment command,
                                         @RequestHeader(name = TransactionContract.PREFER_HEADER, required = false) String prefer) {
        boolean async = TransactionContract.RESPOND_ASYNC.equals(prefer);
        PaymentService.Created created = async ? payments.accept(merchantId, command) : payments.create(merchantId, command);
        return ResponseEntity.status(async ? HttpStatus.ACCEPTED : HttpStatus.CREATED)
                .header(TransactionContract.EXISTING_HEADER, Boolean.toString(created.existing()))
                .body(created.payment());
    }

    @GetMapping(TransactionContract.PAYMENTS)
    ListObject<PaymentObject> list(@PathVariable String merchantId,
                                   @RequestParam(name = "status", required = false) String status,
                                   @RequestParam(name = "starting_after", required = false) String startingAfter,
                                   @RequestParam(defaultValue = "10") int limit) {
        return payments.list(merchantId, status, startingAfter, TransactionErrors.limit(limit));
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

    @PostMapping(TransactionContract.CANCEL)
    PaymentObject cancel(@PathVariable String merchantId, @PathVariable String paymentId,
                         @RequestBody(required = false) CancelPayment command) {
        return payments.cancel(merchantId, paymentId, command == null ? null : command.idempotencyKey());
    }

}
