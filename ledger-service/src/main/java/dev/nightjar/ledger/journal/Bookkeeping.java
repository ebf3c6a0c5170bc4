package dev.nightjar.ledger.journal;

import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.id.Ids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns events into journal entries: pure, no I/O. Debits are positive, credits negative.
 * <ul>
 *   <li>hold (memo): an authorization's capturable amount held, released as it is captured or voided</li>
 *   <li>capture: acquirer receivable up by the amount; merchant payable up by the amount less Nightjar's
 *       fee; fee revenue up by the fee</li>
 *   <li>refund: the capture reversed for the refunded amount (the fee is kept)</li>
 *   <li>settlement: cash received and the acquirer's fees clear the acquirer receivable; any difference
 *       between what the acquirer paid and what the ledger expected goes to suspense</li>
 *   <li>payout: merchant payable paid out of cash</li>
 * </ul>
 * Every entry stays within one merchant (the shard key) and one currency.
 */
public final class Bookkeeping {

    static final String HOLD = "hold";
    static final String CAPTURE = "capture";
    static final String REFUND = "refund";
    static final String SETTLEMENT = "settlement";
    static final String PAYOUT = "payout";

    private final FeeSchedule fees;

    public Bookkeeping(FeeSchedule fees) {
        this.fees = fees;
    }

    /**
     * The entries for one event. {@code holds} maps payment ids to the authorization hold outstanding before
     * this event and is updated to the amount after it.
     */
    public List<JournalEntry> entriesFor(EventEnvelope<?> event, Map<String, Long> holds) {
        return switch (event.payload()) {
            case PaymentEvent payment -> paymentEntries(event, payment, holds);
            case SettlementEvent settlement when EventType.MERCHANT_SETTLED.typeOf(event) ->
                    settlementEntries(event, settlement);
            default -> List.of();
        };
    }

    private List<JournalEntry> paymentEntries(EventEnvelope<?> event, PaymentEvent payment, Map<String, Long> holds) {
        List<JournalEntry> entries = new ArrayList<>(2);
        String merchant = payment.merchantId();
        String currency = payment.currency();
        String acquirer = payment.acquirer() == null ? "unknown" : payment.acquirer();
        long outstanding = holds.getOrDefault(payment.paymentId(), 0L);
        long held = Math.max(0, payment.amountCapturableMinor());
        if (held != outstanding) {
            long change = held - outstanding;
            holds.put(payment.paymentId(), held);
            entries.add(entry(event, merchant, HOLD, payment.paymentId(),
                    (change > 0 ? "Authorization hold on " : "Authorization hold released on ") + payment.paymentId(),
                    acquirer, payment.networkReference(), currency, Math.abs(change), 0, List.of(
                            new Posting(Accounts.code(Accounts.AUTHORIZATION_HOLDS, merchant, currency), change, currency),
                            new Posting(Accounts.code(Accounts.AUTHORIZATION_HOLD_OFFSET, merchant, currency), -change,
                                    currency))));
        }
        long amount = payment.changeAmountMinor();
        if (EventType.PAYMENT_CAPTURED.typeOf(event) && amount > 0) {
            long fee = fees.captureFee(merchant, currency, amount);
            List<Posting> postings = new ArrayList<>(3);
            postings.add(new Posting(Accounts.code(Accounts.ACQUIRER_RECEIVABLE, acquirer, currency), amount, currency));
            if (amount - fee != 0) {
                postings.add(new Posting(Accounts.code(Accounts.MERCHANT_PAYABLE, merchant, currency), -(amount - fee), currency));
            }
            if (fee != 0) {
                postings.add(new Posting(Accounts.code(Accounts.FEE_REVENUE, Accounts.NIGHTJAR, currency), -fee, currency));
            }
            entries.add(entry(event, merchant, CAPTURE, payment.paymentId(), "Capture of " + payment.paymentId(),
                    acquirer, payment.networkReference(), currency, amount, fee, postings));
        }
        if (EventType.REFUND_SUCCEEDED.typeOf(event) && amount > 0) {
            entries.add(entry(event, merchant, REFUND, payment.paymentId(),
                    "Refund " + payment.refundId() + " of " + payment.paymentId(),
                    acquirer, payment.networkReference(), currency, amount, 0, List.of(
                            new Posting(Accounts.code(Accounts.MERCHANT_PAYABLE, merchant, currency), amount, currency),
                            new Posting(Accounts.code(Accounts.ACQUIRER_RECEIVABLE, acquirer, currency), -amount, currency))));
        }
        return entries;
    }

    private static List<JournalEntry> settlementEntries(EventEnvelope<?> event, SettlementEvent settled) {
        List<JournalEntry> entries = new ArrayList<>(2);
        String merchant = settled.merchantId();
        String currency = settled.currency();
        String acquirer = settled.acquirer();
        long received = settled.receivedMinor();
        long suspense = settled.clearedMinor() - received - settled.acquirerFeeMinor();
        List<Posting> postings = new ArrayList<>(4);
        add(postings, Accounts.code(Accounts.CASH, Accounts.NIGHTJAR, currency), received, currency);
        add(postings, Accounts.code(Accounts.ACQUIRER_FEES, acquirer, currency), settled.acquirerFeeMinor(), currency);
        add(postings, Accounts.code(Accounts.SUSPENSE, acquirer, currency), suspense, currency);
        add(postings, Accounts.code(Accounts.ACQUIRER_RECEIVABLE, acquirer, currency), -settled.clearedMinor(), currency);
        if (postings.size() >= 2) {
            entries.add(entry(event, merchant, SETTLEMENT, null,
                    "Settlement of batch " + settled.batchId() + " by " + acquirer, acquirer, null, currency,
                    Math.abs(settled.clearedMinor()), 0, postings));
        }
        if (settled.payoutMinor() > 0) {
            entries.add(entry(event, merchant, PAYOUT, null, "Payout for batch " + settled.batchId(), acquirer, null,
                    currency, settled.payoutMinor(), 0, List.of(
                            new Posting(Accounts.code(Accounts.MERCHANT_PAYABLE, merchant, currency), settled.payoutMinor(),
                                    currency),
                            new Posting(Accounts.code(Accounts.CASH, Accounts.NIGHTJAR, currency), -settled.payoutMinor(),
                                    currency))));
        }
        return entries;
    }

    private static void add(List<Posting> postings, String account, long amount, String currency) {
        if (amount != 0) {
            postings.add(new Posting(account, amount, currency));
        }
    }

    private static JournalEntry entry(EventEnvelope<?> event, String merchant, String kind, String paymentId,
                                      String description, String acquirer, String authorization, String currency,
                                      long amount, long fee, List<Posting> postings) {
        String id = Ids.newId(Ids.JOURNAL_ENTRY);
        return new JournalEntry(id, Ids.timestampOf(id), merchant, kind, paymentId, event.eventId(), description,
                acquirer, authorization, currency, amount, fee, postings, 0, null, null);
    }
}
