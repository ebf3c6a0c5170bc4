package dev.nightjar.settlement.item;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Operator view of what awaits settlement. */
@RestController
class SettlementController {

    private final SettlementItems items;

    SettlementController(SettlementItems items) {
        this.items = items;
    }

    /** Every merchant's, or one's ({@code merchant_id}). */
    @GetMapping("/internal/v1/pending")
    List<SettlementItems.Pending> pending(@RequestParam(name = "merchant_id", required = false) String merchantId) {
        return items.pending(merchantId);
    }
}
