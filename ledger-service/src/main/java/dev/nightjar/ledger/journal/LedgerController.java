package dev.nightjar.ledger.journal;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Read access for operators and settlement: a payment's entries, a merchant's balances. */
@RestController
class LedgerController {

    private final Journal journal;

    LedgerController(Journal journal) {
        this.journal = journal;
    }

    @GetMapping("/internal/v1/entries")
    List<JournalEntry> entries(@RequestParam("merchant_id") String merchantId, @RequestParam("payment_id") String paymentId) {
        return journal.entriesForPayment(merchantId, paymentId);
    }

    @GetMapping("/internal/v1/balances")
    List<Journal.Balance> balances(@RequestParam("merchant_id") String merchantId) {
        return journal.balances(merchantId);
    }
}
