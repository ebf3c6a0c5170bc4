package dev.nightjar.transaction.review;

import dev.nightjar.contracts.contract.ListObject;
import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.contract.TransactionContract.CancelPayment;
import dev.nightjar.transaction.web.TransactionErrors;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The merchant's review queue and a reviewer's decisions; the gateway has authenticated the merchant and audited the decision. */
@RestController
class ReviewController {

    private final ReviewService reviews;

    ReviewController(ReviewService reviews) {
        this.reviews = reviews;
    }

    @GetMapping(TransactionContract.REVIEWS)
    ListObject<PaymentObject> queue(@PathVariable String merchantId,
                                    @RequestParam(name = "starting_after", required = false) String startingAfter,
                                    @RequestParam(defaultValue = "10") int limit) {
        return reviews.queue(merchantId, startingAfter, TransactionErrors.limit(limit));
    }

    @PostMapping(TransactionContract.APPROVE)
    PaymentObject approve(@PathVariable String merchantId, @PathVariable String paymentId) {
        return reviews.approve(merchantId, paymentId);
    }

    @PostMapping(TransactionContract.REJECT)
    PaymentObject reject(@PathVariable String merchantId, @PathVariable String paymentId,
                         @RequestBody(required = false) CancelPayment command) {
        return reviews.reject(merchantId, paymentId, command == null ? null : command.idempotencyKey());
    }
}
