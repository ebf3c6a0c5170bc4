package dev.nightjar.platform.seed;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.id.Ids;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The daily settlement of the seeded history: each day's captures and refunds (UTC, by when they happened) are
 * settled by the cut-off of the next morning, one batch per acquirer and currency, and ledger-service books, per
 * merchant of the batch, what settlement-service posts ({@code settlement.merchant_settled}): the cash received
 * and the acquirer's fee clearing the acquirer receivable, then the payout of the merchant's net. The acquirer
 * reports every line as booked (no suspense) with the simulator's default fee (90 basis points on captures).
 */
final class Settlements {

    static final long ACQUIRER_FEE_BASIS_POINTS = 90;
    private static final int CUTOFF_HOUR_UTC = 2;
    private static final int CUTOFF_SPREAD_MINUTES = 30;
    private static final long BATCH_SALT = 0x5e771e;
    /** The settled events and postings of a cut-off follow its start within this. */
    private static final java.time.Duration CUTOFF_DURATION = java.time.Duration.ofMinutes(2);

    private record Batch(LocalDate day, String acquirer, String currency) implements Comparable<Batch> {
        @Override
        public int compareTo(Batch other) {
            int byDay = day.compareTo(other.day);
            if (byDay != 0) {
                return byDay;
            }
            int byAcquirer = acquirer.compareTo(other.acquirer);
            return byAcquirer != 0 ? byAcquirer : currency.compareTo(other.currency);
        }
    }

    /** One merchant's lines in one batch: cleared (captures less refunds), the acquirer's fee, the merchant's net. */
    private static final class Totals {
        long clearedMinor;
        long acquirerFeeMinor;
        long netMinor;
    }

    private final long seed;
    private final Instant latest;
    private final Map<Batch, Map<String, Totals>> batches = new TreeMap<>();

    /** @param latest the end of the history: cut-offs later than that have not run yet */
    Settlements(long seed, Instant latest) {
        this.seed = seed;
        this.latest = latest;
    }

    /** When the cut-off settling {@code day}'s captures and refunds ran. */
    static Instant cutoff(long seed, LocalDate day) {
        long minutes = Math.floorMod(HistoryGenerator.mix(seed, BATCH_SALT, day.toEpochDay()), CUTOFF_SPREAD_MINUTES);
        return day.plusDays(1).atTime(CUTOFF_HOUR_UTC, 0).toInstant(ZoneOffset.UTC).plusSeconds(60 * minutes);
    }

    /** True when the cut-off of {@code day} ran, and finished, by {@code latest}. */
    static boolean settled(long seed, LocalDate day, Instant latest) {
        return cutoff(seed, day).plus(CUTOFF_DURATION).isBefore(latest);
    }

    static LocalDate dayOf(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** Adds the payment's captures and refunds whose cut-off ran before the end of the history. */
    void add(SeedPayment payment) {
        if (payment.authorization() == null) {
            return;
        }
        for (SeedPayment.Event event : payment.events()) {
            boolean capture = event.type() == EventType.PAYMENT_CAPTURED && event.changeAmountMinor() > 0;
            boolean refund = event.type() == EventType.REFUND_SUCCEEDED && event.changeAmountMinor() > 0;
            LocalDate day = dayOf(event.at());
            if ((!capture && !refund) || !settled(seed, day, latest)) {
                continue;
            }
            Totals totals = batches.computeIfAbsent(new Batch(day, payment.authorization().acquirer(), payment.currency()),
                    batch -> new TreeMap<>()).computeIfAbsent(payment.merchant().id(), merchant -> new Totals());
            long amount = event.changeAmountMinor();
            if (capture) {
                totals.clearedMinor += amount;
                totals.acquirerFeeMinor += (amount * ACQUIRER_FEE_BASIS_POINTS + 5_000) / 10_000;
                totals.netMinor += amount - Bookings.captureFee(amount);
            } else {
                totals.clearedMinor -= amount;
                totals.netMinor -= amount;
            }
        }
    }

    /** Receives the entries of one settlement batch. */
    interface Sink {
        void accept(List<SeedEntry> entries) throws SQLException;
    }

    /**
     * The settlement and payout entries of every batch, oldest first, one batch at a time (all of them at once
     * would not fit the launcher's heap for a long history).
     */
    void entries(Sink sink) throws SQLException {
        for (Map.Entry<Batch, Map<String, Totals>> batch : batches.entrySet()) {
            Instant ran = cutoff(seed, batch.getKey().day());
            // the end of the history too: a second run's batches of the same days get ids of their own
            SplittableRandom random = new SplittableRandom(HistoryGenerator.mix(seed, BATCH_SALT, batch.getKey().day().toEpochDay(),
                    batch.getKey().acquirer().hashCode(), batch.getKey().currency().hashCode(), latest.toEpochMilli()));
            String batchId = Ids.at(Ids.SETTLEMENT_BATCH, ran, random);
            List<SeedEntry> entries = new ArrayList<>(2 * batch.getValue().size());
            for (Map.Entry<String, Totals> merchant : batch.getValue().entrySet()) {
                entries.addAll(merchantEntries(batch.getKey(), batchId, merchant.getKey(), merchant.getValue(),
                        ran.plusMillis(1_000 + random.nextInt(60_000)), random));
            }
            sink.accept(entries);
        }
    }

    private static List<SeedEntry> merchantEntries(Batch batch, String batchId, String merchant, Totals totals,
                                                   Instant posted, SplittableRandom random) {
        String currency = batch.currency();
        String acquirer = batch.acquirer();
        String event = Ids.at(Ids.EVENT, posted, random);
        long received = totals.clearedMinor - totals.acquirerFeeMinor;
        List<SeedEntry.Posting> postings = new ArrayList<>(3);
        add(postings, "cash", Bookings.NIGHTJAR, currency, received);
        add(postings, "acquirer_fees", acquirer, currency, totals.acquirerFeeMinor);
        add(postings, Bookings.ACQUIRER_RECEIVABLE, acquirer, currency, -totals.clearedMinor);
        List<SeedEntry> entries = new ArrayList<>(2);
        if (postings.size() >= 2) {
            entries.add(entry(random, posted, merchant, "settlement", event, "Settlement of batch " + batchId + " by " + acquirer,
                    acquirer, currency, Math.abs(totals.clearedMinor), postings));
        }
        long payout = Math.max(0, totals.netMinor);
        if (payout > 0) {
            entries.add(entry(random, posted, merchant, "payout", event, "Payout for batch " + batchId, acquirer, currency,
                    payout, List.of(SeedEntry.Posting.of(Bookings.MERCHANT_PAYABLE, merchant, currency, payout),
                            SeedEntry.Posting.of("cash", Bookings.NIGHTJAR, currency, -payout))));
        }
        return entries;
    }

    private static void add(List<SeedEntry.Posting> postings, String kind, String owner, String currency, long amountMinor) {
        if (amountMinor != 0) {
            postings.add(SeedEntry.Posting.of(kind, owner, currency, amountMinor));
        }
    }

    private static SeedEntry entry(SplittableRandom random, Instant posted, String merchant, String kind, String event,
                                   String description, String acquirer, String currency, long amount,
                                   List<SeedEntry.Posting> postings) {
        String id = Ids.at(Ids.JOURNAL_ENTRY, posted.plusMillis(5 + random.nextInt(300)), random);
        return new SeedEntry(id, Ids.timestampOf(id), merchant, kind, null, event, description, acquirer, null, currency,
                amount, 0, postings);
    }
}
