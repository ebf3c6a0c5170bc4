package dev.nightjar.ledger.journal;

import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.EventTypes;
import dev.nightjar.common.event.PaymentEvent;
import dev.nightjar.common.id.Ids;
import java.util.List;
import java.util.Optional;

/**
 * Turns payment events into journal entries: pure, no I/O. Only events that move money make entries;
 * the rest are recorded as seen and leave the books alone.
 */
public final class Bookkeeping {

    private Bookkeeping() {
    }

    public static Optional<JournalEntry> entryFor(EventEnvelope<PaymentEvent> event) {
        PaymentEvent payment = event.payload();
        if (EventTypes.PAYMENT_CAPTURED.equals(event.type()) && payment.changeAmountMinor() > 0) {
            String acquirer = payment.acquirer() == null ? "unknown" : payment.acquirer();
            long amount = payment.changeAmountMinor();
            String id = Ids.newId(Ids.JOURNAL_ENTRY);
            return Optional.of(new JournalEntry(id, Ids.timestampOf(id), payment.merchantId(), "capture",
                    payment.paymentId(), event.eventId(), "Capture of " + payment.paymentId(), List.of(
                    new Posting(Accounts.code(Accounts.ACQUIRER_RECEIVABLE, acquirer, payment.currency()), amount,
                            payment.currency()),
                    new Posting(Accounts.code(Accounts.MERCHANT_PAYABLE, payment.merchantId(), payment.currency()),
                            -amount, payment.currency()))));
        }
        if (EventTypes.REFUND_SUCCEEDED.equals(event.type()) && payment.changeAmountMinor() > 0) {
            // The capture in reverse: the merchant owes the card back, the acquirer pays it out.
            String acquirer = payment.acquirer() == null ? "unknown" : payment.acquirer();
            long amount = payment.changeAmountMinor();
            String id = Ids.newId(Ids.JOURNAL_ENTRY);
            return Optional.of(new JournalEntry(id, Ids.timestampOf(id), payment.merchantId(), "refund",
                    payment.paymentId(), event.eventId(), "Refund " + payment.refundId() + " of " + payment.paymentId(), List.of(
                    new Posting(Accounts.code(Accounts.MERCHANT_PAYABLE, payment.merchantId(), payment.currency()), amount,
                            payment.currency()),
                    new Posting(Accounts.code(Accounts.ACQUIRER_RECEIVABLE, acquirer, payment.currency()), -amount,
                            payment.currency()))));
        }
        return Optional.empty();
    }

    /** The events this ledger consumes that can make an entry (for metrics and documentation). */
    public static boolean movesMoney(String eventType) {
        return EventTypes.PAYMENT_CAPTURED.equals(eventType) || EventTypes.REFUND_SUCCEEDED.equals(eventType);
    }
}
