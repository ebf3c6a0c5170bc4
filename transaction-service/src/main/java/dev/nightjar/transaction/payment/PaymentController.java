package dev.nightjar.transaction.payment;

import dev.nightjar.common.contract.PaymentObject;
import dev.nightjar.common.contract.TransactionContract;
import dev.nightjar.common.contract.TransactionContract.CreatePayment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Payments on behalf of merchants; the gateway has already authenticated the merchant. */
@RestController
class PaymentController {

    static final String EXISTING_HEADER = "Nightjar-Existing-Payment";

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

    @GetMapping(TransactionContract.PAYMENT)
    PaymentObject get(@PathVariable String merchantId, @PathVariable String paymentId) {
        return payments.get(merchantId, paymentId);
    }
}
