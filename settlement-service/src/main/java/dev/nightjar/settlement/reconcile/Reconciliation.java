package dev.nightjar.settlement.reconcile;

import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.settlement.item.SettlementItem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reconciles an acquirer's settlement report against the batch's items (the ledger's captures and refunds),
 * line by line on Nightjar's reference: one row per report line in report order, then one per item the
 * report lacks. A pure function: the same inputs give the same rows.
 */
public final class Reconciliation {

    private Reconciliation() {
    }

    /** @param feeBasisPoints the acquirer's contracted fee, which its reported fees are checked against */
    public static List<ReconciliationRow> reconcile(List<SettlementItem> items, List<SettlementReportLine> lines,
                                                    int feeBasisPoints) {
        Map<String, SettlementItem> itemsByReference = new HashMap<>(items.size() * 2);
        items.forEach(item -> itemsByReference.put(item.entryId(), item));
        Set<String> reported = new HashSet<>(lines.size() * 2);
        List<ReconciliationRow> rows = new ArrayList<>(Math.max(items.size(), lines.size()));
        for (SettlementReportLine line : lines) {
            SettlementItem item = itemsByReference.get(line.reference());
            // a second line for one reference is money the batch does not account for
            rows.add(item != null && reported.add(line.reference())
                    ? compared(rows.size() + 1, item, line, feeBasisPoints)
                    : unknownToNightjar(rows.size() + 1, line));
        }
        for (SettlementItem item : items) {
            if (!reported.contains(item.entryId())) {
                rows.add(missingAtAcquirer(rows.size() + 1, item, feeBasisPoints));
            }
        }
        return rows;
    }

    private static ReconciliationRow compared(int lineNo, SettlementItem item, SettlementReportLine line, int feeBasisPoints) {
        long expectedFee = expectedFee(item, feeBasisPoints);
        Outcome outcome;
        String action;
        if (line.amountMinor() != item.signedAmountMinor()) {
            outcome = Outcome.AMOUNT_MISMATCH;
            action = "The acquirer settled " + line.amountMinor() + " where the ledger booked " + item.signedAmountMinor()
                    + ": check the payment at the acquirer; the difference of " + (line.amountMinor() - item.signedAmountMinor())
                    + " stays in suspense until corrected.";
        } else if (line.feeMinor() != expectedFee) {
            outcome = Outcome.FEE_MISMATCH;
            action = "The acquirer charged a fee of " + line.feeMinor() + " where the contract gives " + expectedFee
                    + ": claim the difference or correct the configured fee.";
        } else {
            outcome = Outcome.MATCHED;
            action = null;
        }
        return new ReconciliationRow(lineNo, outcome, item.entryId(), item.paymentId(), item.merchantId(), item.operation(),
                line.networkReference(), item.signedAmountMinor(), line.amountMinor(), expectedFee, line.feeMinor(),
                item.feeMinor(), action);
    }

    private static ReconciliationRow unknownToNightjar(int lineNo, SettlementReportLine line) {
        return new ReconciliationRow(lineNo, Outcome.MISSING_IN_NIGHTJAR, line.reference(), null,
                line.merchantId() == null ? "unknown" : line.merchantId(), line.operation(), line.networkReference(), null,
                line.amountMinor(), null, line.feeMinor(), null,
                "The acquirer settled money the batch has no entry for: find the payment behind network reference "
                        + line.networkReference() + "; the amount stays in suspense until it is explained.");
    }

    private static ReconciliationRow missingAtAcquirer(int lineNo, SettlementItem item, int feeBasisPoints) {
        return new ReconciliationRow(lineNo, Outcome.MISSING_AT_ACQUIRER, item.entryId(), item.paymentId(), item.merchantId(),
                item.operation(), null, item.signedAmountMinor(), null, expectedFee(item, feeBasisPoints), null,
                item.feeMinor(),
                "The acquirer did not settle this " + item.operation() + " (authorization "
                        + item.authorizationReference() + "): ask it why; the amount stays out of the payout until it settles.");
    }

    private static long expectedFee(SettlementItem item, int feeBasisPoints) {
        return AcquirerProtocol.feeMinor(item.operation(), item.amountMinor(), feeBasisPoints);
    }
}
