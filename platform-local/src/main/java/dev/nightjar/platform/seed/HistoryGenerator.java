package dev.nightjar.platform.seed;

import dev.nightjar.common.shard.ShardRouter;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.id.Ids;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The seeded history as a pure function of {@link SeedOptions}: the merchants, and payment number {@code i}
 * with its whole life, each from a random generator of its own seeded by (seed, i), so any batch can be made
 * alone and the same options make the same history. Payment i is created at
 * {@code from + span * (i + u) / payments}: in id order, spread evenly over the months.
 *
 * <p>The mix, of every hundred payments, roughly: 7 declined by the acquirer, 1 declined by the risk engine, half
 * a technical failure, the rest approved. Of the approved 15 % use manual capture (of those about 12 % canceled,
 * some in the last days still authorized, a tenth of the captures partial); 5 % are refunded in full (some in two
 * parts) and 2 % in part. Captures settle at the next morning's cut-off ({@link Settlements#cutoff}).
 * Every time in the history lies before {@code until}.
 */
public final class HistoryGenerator {

    static final String ACQUIRER_A = "acquirer-a";
    static final String ACQUIRER_B = "acquirer-b";
    static final double RISK_BLOCKED = 0.008;
    static final double ACQUIRER_DECLINED = 0.070;
    static final double FAILED = 0.005;
    static final double MANUAL_CAPTURE = 0.15;
    static final double CANCELED_OF_MANUAL = 0.12;
    static final double PARTIAL_CAPTURE_OF_MANUAL = 0.10;
    static final double REFUNDED_IN_FULL = 0.05;
    static final double REFUNDED_IN_PART = 0.02;

    private static final long MERCHANT_SALT = 0x6d65726368L;
    private static final long PAYMENT_SALT = 0x7061796dL;
    private static final long CARD_SALT = 0x63617264L;
    private static final long ENTRY_SALT = 0x656e7472L;
    /** Nothing of the history is later than this before {@code until}: the last payment's events fit. */
    private static final Duration TAIL = Duration.ofSeconds(10);
    private static final String[] DECLINE_CODES = {"do_not_honor", "do_not_honor", "do_not_honor", "insufficient_funds",
            "insufficient_funds", "insufficient_funds", "expired_card", "incorrect_cvc", "lost_card", "stolen_card"};
    private static final String[] COUNTRIES = {"DE", "DE", "FR", "FR", "NL", "ES", "IT", "GB", "US", "PL"};
    private static final String[] REASONS = {"amount_log", "new_card", "night_time", "amount_anomaly", "country_mismatch"};
    private static final String[][] BLOCK_REASONS = {{"velocity_card_1h"}, {"card_testing"},
            {"amount_anomaly", "new_card_high_amount"}};

    private final SeedOptions options;
    private final List<SeedMerchant> merchants;
    private final int cardsPerMerchant;

    public HistoryGenerator(SeedOptions options, int shards) {
        this.options = options;
        ShardRouter router = new ShardRouter(shards);
        List<SeedMerchant> made = new ArrayList<>(options.merchants());
        Instant opened = options.from().minus(Duration.ofDays(30));
        for (int index = 0; index < options.merchants(); index++) {
            SplittableRandom random = new SplittableRandom(mix(options.seed(), MERCHANT_SALT, index));
            String id = Ids.at(Ids.MERCHANT, opened.plusSeconds(index * 60L + random.nextInt(60)), random);
            double currency = random.nextDouble();
            made.add(new SeedMerchant(index, id, currency < 0.80 ? "EUR" : currency < 0.92 ? "USD" : "GBP",
                    random.nextDouble() < 0.7 ? ACQUIRER_A : ACQUIRER_B, router.shardOf(id)));
        }
        this.merchants = List.copyOf(made);
        this.cardsPerMerchant = Math.max(4, options.payments() / options.merchants() / 2);
    }

    public List<SeedMerchant> merchants() {
        return merchants;
    }

    /** The latest moment any event of the history happens at. */
    Instant latest() {
        return options.until().minus(TAIL.dividedBy(2));
    }

    /** The random source of payment {@code index}'s journal entry ids. */
    SplittableRandom entryRandom(int index) {
        return new SplittableRandom(mix(options.seed(), ENTRY_SALT, index));
    }

    /** Payment number {@code index} (0 to payments - 1) and everything that happened to it. */
    public SeedPayment payment(int index) {
        if (index < 0 || index >= options.payments()) {
            throw new IndexOutOfBoundsException("payment " + index + " of " + options.payments());
        }
        SplittableRandom random = new SplittableRandom(mix(options.seed(), PAYMENT_SALT, index));
        long spanMillis = options.span().minus(TAIL).toMillis();
        Instant created = options.from().plusMillis((long) (spanMillis * ((index + random.nextDouble()) / options.payments())));
        SeedMerchant merchant = merchants.get((int) (merchants.size() * Math.pow(random.nextDouble(), 2)));
        Customer customer = customer(merchant, random.nextInt(cardsPerMerchant));
        long amount = Math.max(50, Math.min(2_000_000, Math.round(Math.exp(Math.log(2_500) + 1.1 * random.nextGaussian()))));
        Life life = new Life(random, created, amount, latest());
        String token = Ids.at(Ids.TOKEN, created.minusMillis(50 + random.nextInt(450)), random);
        String reference = "order_" + Long.toString(random.nextLong() >>> 24, 36);
        String key = random.nextDouble() < 0.7 ? uuid(random) : null;
        double outcome = random.nextDouble();
        boolean manual = random.nextDouble() < MANUAL_CAPTURE;
        SeedPayment.Risk risk = risk(random, created, customer, outcome < RISK_BLOCKED);
        Instant answered = created.plusMillis(150 + random.nextInt(750));
        String acquirer = random.nextDouble() < 0.9 ? merchant.acquirer()
                : merchant.acquirer().equals(ACQUIRER_A) ? ACQUIRER_B : ACQUIRER_A;
        if (outcome < RISK_BLOCKED) {
            life.blocked(created);
        } else if (outcome < RISK_BLOCKED + ACQUIRER_DECLINED) {
            life.declined(answered, acquirer);
        } else if (outcome < RISK_BLOCKED + ACQUIRER_DECLINED + FAILED) {
            life.failed(answered);
        } else {
            life.approved(answered, acquirer, manual, options.seed());
        }
        return new SeedPayment(Ids.at(Ids.PAYMENT, created, random), created, merchant, life.status, manual, amount,
                life.capturable, life.captured, life.refunded, token, customer.card(), risk, life.authorization, life.failure,
                reference, key, life.events, life.refunds, life.updatedAt, life.version);
    }

    /** The journal entries the payment's events booked. */
    public List<SeedEntry> entries(int index, SeedPayment payment) {
        return Bookings.of(payment, entryRandom(index));
    }

    /** A card of the merchant's customers and the address it pays from; the same index is the same customer. */
    private record Customer(SeedPayment.Card card, String ip) {
    }

    private Customer customer(SeedMerchant merchant, int cardIndex) {
        SplittableRandom random = new SplittableRandom(mix(options.seed(), CARD_SALT, merchant.id().hashCode(), cardIndex));
        double brand = random.nextDouble();
        String[] bins = brand < 0.55 ? new String[] {"424242", "411111", "400551", "476173"}
                : brand < 0.90 ? new String[] {"555555", "510510", "522222"} : new String[] {"378282", "371449"};
        String name = brand < 0.55 ? "visa" : brand < 0.90 ? "mastercard" : "amex";
        byte[] fingerprint = new byte[16];
        random.nextBytes(fingerprint);
        int year = options.until().atZone(ZoneOffset.UTC).getYear();
        SeedPayment.Card card = new SeedPayment.Card(name, bins[random.nextInt(bins.length)],
                String.format("%04d", random.nextInt(10_000)), 1 + random.nextInt(12), year + 1 + random.nextInt(4),
                Base64.getUrlEncoder().withoutPadding().encodeToString(fingerprint), COUNTRIES[random.nextInt(COUNTRIES.length)]);
        String ip = (random.nextBoolean() ? "198.51.100." : "203.0.113.") + (1 + random.nextInt(254));
        return new Customer(card, ip);
    }

    private static SeedPayment.Risk risk(SplittableRandom random, Instant created, Customer customer, boolean blocked) {
        Instant decided = created.plusMillis(2 + random.nextInt(14));
        String ipCountry = random.nextDouble() < 0.95 ? customer.card().country() : COUNTRIES[random.nextInt(COUNTRIES.length)];
        if (blocked) {
            return new SeedPayment.Risk(90 + random.nextInt(11), "block", List.of(BLOCK_REASONS[random.nextInt(BLOCK_REASONS.length)]),
                    decided, customer.ip(), ipCountry);
        }
        int score = (int) (64 * Math.pow(random.nextDouble(), 3));
        return new SeedPayment.Risk(score, "allow", score < 20 ? List.of() : List.of(REASONS[random.nextInt(REASONS.length)]),
                decided, customer.ip(), ipCountry);
    }

    private static String networkReference(SplittableRandom random) {
        return "nw_" + Long.toUnsignedString(random.nextLong(), 36);
    }

    private static String uuid(SplittableRandom random) {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    /**
     * The payment's life after its creation: each change of its row counts a version (transaction-service's
     * optimistic lock) and moves {@code updatedAt}; each event it published is kept for the ledger and risk.
     */
    private static final class Life {
        private final SplittableRandom random;
        private final long amount;
        private final Instant latest;
        private final List<SeedPayment.Event> events = new ArrayList<>(4);
        private final List<SeedRefund> refunds = new ArrayList<>(2);
        private String status = "AUTHORIZING";
        private long version;
        private Instant updatedAt;
        private long capturable;
        private long captured;
        private long refunded;
        private SeedPayment.Authorization authorization;
        private SeedPayment.Failure failure;

        Life(SplittableRandom random, Instant created, long amount, Instant latest) {
            this.random = random;
            this.amount = amount;
            this.latest = latest;
            this.updatedAt = created;
        }

        void to(String next, Instant at) {
            status = next;
            version++;
            updatedAt = at;
        }

        void publish(EventType type, Instant at, long changeMinor, String refundId) {
            events.add(new SeedPayment.Event(type, Ids.at(Ids.EVENT, at, random), at, capturable, changeMinor, refundId));
        }

        /** Declined by the risk engine: never sent to an acquirer. */
        void blocked(Instant at) {
            failure = new SeedPayment.Failure("card_declined", "fraudulent", "The payment was declined as likely fraud.");
            to("DECLINED", at);
            publish(EventType.PAYMENT_DECLINED, at, 0, null);
        }

        void declined(Instant answered, String acquirer) {
            authorization = new SeedPayment.Authorization(acquirer, networkReference(random), null);
            failure = new SeedPayment.Failure("card_declined", DECLINE_CODES[random.nextInt(DECLINE_CODES.length)],
                    "The card was declined.");
            to("DECLINED", answered);
            publish(EventType.PAYMENT_DECLINED, answered, 0, null);
        }

        void failed(Instant answered) {
            failure = new SeedPayment.Failure("processing_error", null, "The payment could not be processed.");
            to("FAILED", answered);
            publish(EventType.PAYMENT_FAILED, answered, 0, null);
        }

        /** Approved by the acquirer: captured at once or held for a manual capture, then refunded and settled. */
        void approved(Instant answered, String acquirer, boolean manual, long seed) {
            String network = networkReference(random);
            // as the simulator makes its authorization codes
            authorization = new SeedPayment.Authorization(acquirer, network,
                    String.format("%06d", Math.floorMod(network.hashCode(), 1_000_000)));
            if (manual) {
                authorizeThenFinish(answered);
            } else {
                capture(answered, amount, false);
            }
            if (captured > 0) {
                refundAndSettle(seed);
            }
        }

        void capture(Instant at, long amountMinor, boolean claimed) {
            if (claimed) {
                to("CAPTURING", at.minusMillis(200 + random.nextInt(400)));
            }
            capturable = 0;
            captured = amountMinor;
            to("CAPTURED", at);
            publish(EventType.PAYMENT_CAPTURED, at, amountMinor, null);
        }

        /** A manual capture: held, then captured (in full or in part) or canceled, unless still waiting at the end. */
        void authorizeThenFinish(Instant answered) {
            capturable = amount;
            to("AUTHORIZED", answered);
            publish(EventType.PAYMENT_AUTHORIZED, answered, 0, null);
            boolean cancel = random.nextDouble() < CANCELED_OF_MANUAL;
            Instant next = answered.plus(Duration.ofMinutes(10 + random.nextLong(cancel ? 3 * 24 * 60 : 5 * 24 * 60)));
            if (next.isAfter(latest)) {
                return;
            }
            if (cancel) {
                to("CANCELING", next.minusMillis(200 + random.nextInt(400)));
                capturable = 0;
                to("CANCELED", next);
                publish(EventType.PAYMENT_CANCELED, next, 0, null);
                return;
            }
            long part = random.nextDouble() < PARTIAL_CAPTURE_OF_MANUAL ? Math.max(1, amount * (50 + random.nextInt(50)) / 100) : amount;
            capture(next, part, true);
        }

        /** Refunds (in full, possibly in two parts, or in part) and the settlement of the capture, in time order. */
        void refundAndSettle(long seed) {
            Instant capturedAt = updatedAt;
            java.time.LocalDate day = Settlements.dayOf(capturedAt);
            boolean settles = Settlements.settled(seed, day, latest);
            Instant settled = Settlements.cutoff(seed, day).plusSeconds(random.nextInt(60));
            double roll = random.nextDouble();
            List<long[]> planned = new ArrayList<>(2);
            Instant first = capturedAt.plus(Duration.ofMinutes(60 + random.nextLong(25 * 24 * 60)));
            if (roll < REFUNDED_IN_FULL && random.nextDouble() < 0.3 && captured >= 2) {
                long part = Math.max(1, captured * (30 + random.nextInt(40)) / 100);
                planned.add(new long[] {first.toEpochMilli(), part});
                planned.add(new long[] {first.plus(Duration.ofMinutes(60 + random.nextLong(5 * 24 * 60))).toEpochMilli(), captured - part});
            } else if (roll < REFUNDED_IN_FULL) {
                planned.add(new long[] {first.toEpochMilli(), captured});
            } else if (roll < REFUNDED_IN_FULL + REFUNDED_IN_PART) {
                planned.add(new long[] {first.toEpochMilli(), Math.max(1, captured * (10 + random.nextInt(50)) / 100)});
            }
            boolean settleDone = false;
            for (long[] refund : planned) {
                Instant at = Instant.ofEpochMilli(refund[0]);
                if (at.isAfter(latest)) {
                    break;
                }
                if (settles && !settleDone && settled.isBefore(at)) {
                    settle(settled);
                    settleDone = true;
                }
                refund(at, refund[1]);
            }
            if (settles && !settleDone) {
                settle(settled);
            }
        }

        private void settle(Instant at) {
            // a refunded payment stays refunded when its capture settles later
            if (status.equals("CAPTURED")) {
                to("SETTLED", at);
                publish(EventType.PAYMENT_SETTLED, at, 0, null);
            }
        }

        private void refund(Instant at, long amountMinor) {
            Instant finished = at.plusMillis(300 + random.nextInt(1_200));
            String id = Ids.at(Ids.REFUND, at, random);
            double reason = random.nextDouble();
            refunds.add(new SeedRefund(id, Ids.timestampOf(id), amountMinor,
                    reason < 0.5 ? null : reason < 0.9 ? "requested_by_customer" : "duplicate", networkReference(random),
                    random.nextDouble() < 0.6 ? uuid(random) : null, finished));
            version++; // the reservation
            refunded += amountMinor;
            to(refunded == captured ? "REFUNDED" : status, finished);
            publish(EventType.REFUND_SUCCEEDED, finished, amountMinor, id);
        }
    }

    /** A 64-bit mix of the parts (SplitMix64's finalizer over each in turn): seeds of independent generators. */
    static long mix(long... parts) {
        long hash = 0x9E3779B97F4A7C15L;
        for (long part : parts) {
            long z = hash ^ part;
            z += 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            hash = z ^ (z >>> 31);
        }
        return hash;
    }
}
