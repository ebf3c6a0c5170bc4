package dev.nightjar.settlement.reconcile;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.settlement.item.SettlementItem;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a reconciled batch posts: per merchant, one {@code settlement.merchant_settled} with the cleared,
 * reported, fee and payout amounts; per payment whose capture the acquirer settled for the booked amount,
 * one {@code payment.settled}. Movements the acquirer did not settle stay out of cleared amounts and payouts.
 * A pure function of the batch and its reconciliation rows.
 */
public final class Posting {

    private Posting() {
    }

    /** The batch a posting is for. */
    public record BatchOf(String batchId, String acquirer, String currency, LocalDate settlementDate) {
    }

    /** One event to post, with its type. */
    public record Event(String type, SettlementEvent payload) {
    }

    private static final class MerchantTotals {
        long clearedMinor;
        long reportedMinor;
        long acquirerFeeMinor;
        long netMinor;
    }

    public static List<Event> events(BatchOf batch, List<ReconciliationRow> rows) {
        Map<String, MerchantTotals> merchants = new TreeMap<>();
        Map<String, long[]> settledCaptures = new TreeMap<>();
        Map<String, String> merchantOfPayment = new TreeMap<>();
        for (ReconciliationRow row : rows) {
            MerchantTotals totals = merchants.computeIfAbsent(row.merchantId(), merchant -> new MerchantTotals());
            if (row.outcome().reported()) {
                totals.reportedMinor = Math.addExact(totals.reportedMinor, row.reportedAmountMinor());
                totals.acquirerFeeMinor = Math.addExact(totals.acquirerFeeMinor, row.reportedFeeMinor());
            }
            if (row.outcome().cleared()) {
                totals.clearedMinor = Math.addExact(totals.clearedMinor, row.expectedAmountMinor());
                totals.netMinor = Math.addExact(totals.netMinor, SettlementItem.REFUND.equals(row.operation())
                        ? row.expectedAmountMinor() : row.expectedAmountMinor() - row.merchantFeeMinor());
            }
            boolean settledInFull = row.outcome() == Outcome.MATCHED || row.outcome() == Outcome.FEE_MISMATCH;
            if (settledInFull && SettlementItem.CAPTURE.equals(row.operation())) {
                settledCaptures.computeIfAbsent(row.paymentId(), payment -> new long[1])[0] += row.expectedAmountMinor();
                merchantOfPayment.put(row.paymentId(), row.merchantId());
            }
        }
        List<Event> events = new ArrayList<>(merchants.size() + settledCaptures.size());
        merchants.forEach((merchant, totals) -> events.add(new Event(EventType.MERCHANT_SETTLED.wire(), new SettlementEvent(
                batch.batchId(), merchant, batch.acquirer(), batch.currency(), batch.settlementDate(), totals.clearedMinor,
                totals.reportedMinor, totals.acquirerFeeMinor, Math.max(0, totals.netMinor), null, 0))));
        settledCaptures.forEach((payment, amount) -> events.add(new Event(EventType.PAYMENT_SETTLED.wire(), new SettlementEvent(
                batch.batchId(), merchantOfPayment.get(payment), batch.acquirer(), batch.currency(), batch.settlementDate(),
                0, 0, 0, 0, payment, amount[0]))));
        return events;
    }
}
