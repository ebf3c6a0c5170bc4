package dev.nightjar.transaction.refund;

import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.RefundObject;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.contract.TransactionContract.CreateRefund;
import dev.nightjar.transaction.web.TransactionErrors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A payment's refunds on behalf of merchants; the gateway has already authenticated the merchant. */
@RestController
class RefundController {

    private final RefundService refunds;

    RefundController(RefundService refunds) {
        this.refunds = refunds;
    }

    @PostMapping(TransactionContract.REFUNDS)
    ResponseEntity<RefundObject> refund(@PathVariable String merchantId, @PathVariable String paymentId,
                                        @RequestBody(required = false) CreateRefund command) {
        CreateRefund refund = command == null ? new CreateRefund(null, null, null) : command;
        RefundService.RefundCreated created = refunds.refund(merchantId, paymentId, refund.idempotencyKey(),
                refund.amountMinor(), refund.reason());
        return ResponseEntity.status(HttpStatus.CREATED)
                .header(TransactionContract.EXISTING_HEADER, Boolean.toString(created.existing()))
                .body(created.refund());
    }

    @GetMapping(TransactionContract.REFUNDS)
    ListObject<RefundObject> refunds(@PathVariable String merchantId, @PathVariable String paymentId,
                                     @RequestParam(name = "starting_after", required = false) String startingAfter,
                                     @RequestParam(defaultValue = "10") int limit) {
        return refunds.refunds(merchantId, paymentId, startingAfter, TransactionErrors.limit(limit));
    }
}
