package dev.nightjar.platform.seed;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.id.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The journal entries ledger-service books for a seeded payment's events, by the rules of its
 * {@code Bookkeeping} (mirrored: ledger-service is not on this module's class path): the authorization hold on
 * the memo accounts moves with the capturable amount; a capture debits the acquirer receivable and credits the
 * merchant payable less Nightjar's fee and the fee revenue; a refund reverses the capture for its amount (the
 * fee is kept). Each entry is booked a few milliseconds after its event, as the consumer would.
 */
final class Bookings {

    /** Nightjar's fee on captures: the ledger's default ({@code nightjar.ledger.fees.basis-points}). */
    static final long FEE_BASIS_POINTS = 140;
    static final String HOLD = "hold";
    static final String CAPTURE = "capture";
    static final String REFUND = "refund";
    static final String MERCHANT_PAYABLE = "merchant_payable";
    static final String ACQUIRER_RECEIVABLE = "acquirer_receivable";
    static final String FEE_REVENUE = "fee_revenue";
    static final String NIGHTJAR = "nightjar";
    private static final int MAX_BOOKING_LAG_MILLIS = 300;

    private Bookings() {
    }

    /** Every entry the payment's events booked, in event order. */
    static List<SeedEntry> of(SeedPayment payment, RandomGenerator random) {
        List<SeedEntry> entries = new ArrayList<>(3);
        long outstanding = 0;
        String merchant = payment.merchant().id();
        String currency = payment.currency();
        String acquirer = acquirer(payment);
        for (SeedPayment.Event event : payment.events()) {
            Instant booked = event.at().plusMillis(5 + random.nextInt(MAX_BOOKING_LAG_MILLIS));
            long held = Math.max(0, event.capturableMinor());
            if (held != outstanding) {
                long change = held - outstanding;
                outstanding = held;
                entries.add(entry(random, booked, payment, event, HOLD,
                        (change > 0 ? "Authorization hold on " : "Authorization hold released on ") + payment.id(),
                        Math.abs(change), 0, List.of(
                                SeedEntry.Posting.of("authorization_holds", merchant, currency, change),
                                SeedEntry.Posting.of("authorization_hold_offset", merchant, currency, -change))));
            }
            long amount = event.changeAmountMinor();
            if (event.type() == EventType.PAYMENT_CAPTURED && amount > 0) {
                long fee = captureFee(amount);
                List<SeedEntry.Posting> postings = new ArrayList<>(3);
                postings.add(SeedEntry.Posting.of(ACQUIRER_RECEIVABLE, acquirer, currency, amount));
                if (amount - fee != 0) {
                    postings.add(SeedEntry.Posting.of(MERCHANT_PAYABLE, merchant, currency, -(amount - fee)));
                }
                if (fee != 0) {
                    postings.add(SeedEntry.Posting.of(FEE_REVENUE, NIGHTJAR, currency, -fee));
                }
                entries.add(entry(random, booked, payment, event, CAPTURE, "Capture of " + payment.id(), amount, fee, postings));
            }
            if (event.type() == EventType.REFUND_SUCCEEDED && amount > 0) {
                entries.add(entry(random, booked, payment, event, REFUND,
                        "Refund " + event.refundId() + " of " + payment.id(), amount, 0, List.of(
                                SeedEntry.Posting.of(MERCHANT_PAYABLE, merchant, currency, amount),
                                SeedEntry.Posting.of(ACQUIRER_RECEIVABLE, acquirer, currency, -amount))));
            }
        }
        return entries;
    }

    private static String acquirer(SeedPayment payment) {
        return payment.authorization() == null ? "unknown" : payment.authorization().acquirer();
    }

    /** The ledger's FeeSchedule with its defaults: basis points rounded half up, never more than the amount. */
    static long captureFee(long amountMinor) {
        return Math.min(Math.addExact(Math.multiplyExact(amountMinor, FEE_BASIS_POINTS), 5_000) / 10_000, amountMinor);
    }

    private static SeedEntry entry(RandomGenerator random, Instant booked, SeedPayment payment, SeedPayment.Event event,
                                   String kind, String description, long amount, long fee, List<SeedEntry.Posting> postings) {
        String id = Ids.at(Ids.JOURNAL_ENTRY, booked, random);
        return new SeedEntry(id, Ids.timestampOf(id), payment.merchant().id(), kind, payment.id(), event.id(), description,
                acquirer(payment), payment.authorization() == null ? null : payment.authorization().networkReference(),
                payment.currency(), amount, fee, postings);
    }
}
