package dev.nightjar.risk.model;

import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import dev.nightjar.risk.features.ReferenceRates;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Synthetic, labelled card traffic for training and judging the fraud model; the same seed gives the same
 * payments. Legitimate traffic: merchants with their own log-normal amounts, volumes and share of returning
 * customers, a daily cycle peaking in the evening (UTC), retries after declines, repeat purchases, travellers,
 * big-ticket purchases and flash sales. Fraud, in episodes: card testing, velocity attacks, amount anomalies,
 * country mismatches, new cards at high amounts, night-time bursts, and fraud that looks like ordinary
 * traffic. Labels come from the generator, then a share is flipped (fraud never reported, friendly fraud)
 * so that no model can be perfect.
 *
 * <p>Card fingerprints are per merchant, as the vault makes them: one card at two merchants is two cards here.
 * Half the merchants pass no customer IP address and four in ten no card country, as integrations differ (and
 * the platform passes neither today): the model must not lean on what is often missing.
 */
public final class TrafficGenerator {

    /** What produced a payment. */
    public enum Pattern {
        LEGITIMATE, CARD_TESTING, VELOCITY_ATTACK, AMOUNT_ANOMALY, COUNTRY_MISMATCH, NEW_CARD_HIGH_AMOUNT,
        NIGHT_BURST, LOOKALIKE
    }

    /**
     * @param seed                 the only source of randomness
     * @param start                the first day's midnight, UTC
     * @param fraudLabelNoise      share of fraudulent payments labelled legitimate (fraud never reported)
     * @param legitimateLabelNoise share of legitimate payments labelled fraudulent (friendly fraud, mistakes)
     */
    public record Settings(long seed, Instant start, int days, int merchants, double fraudLabelNoise,
                           double legitimateLabelNoise) {

        public Settings {
            if (days < 1 || merchants < 1 || fraudLabelNoise < 0 || fraudLabelNoise >= 1
                    || legitimateLabelNoise < 0 || legitimateLabelNoise >= 1) {
                throw new IllegalArgumentException("invalid generator settings");
            }
        }

        public static Settings defaults(long seed) {
            return new Settings(seed, Instant.parse("2025-03-03T00:00:00Z"), 21, 120, 0.04, 0.002);
        }
    }

    /** One generated payment, with what really happened ({@code fraud}) and what the labels say ({@code label}). */
    public record GeneratedPayment(long timeMillis, String merchantId, String currency, long amountMinor,
                                   String fingerprint, String bin, String last4, String cardCountry, String customerIp,
                                   String ipCountry, boolean declined, Pattern pattern, boolean fraud, boolean label) {

        /** The decision request the platform would send for this payment. */
        public DecisionRequest request(String paymentId) {
            return new DecisionRequest(paymentId, merchantId, amountMinor, currency,
                    new CardDetails(bin.startsWith("5") ? "mastercard" : "visa", bin, last4, 12, 2030, fingerprint),
                    customerIp, ipCountry, cardCountry);
        }
    }

    /** Expected episodes per day of each fraud pattern, across all merchants. */
    static final double CARD_TESTING_PER_DAY = 1.0;
    static final double VELOCITY_ATTACKS_PER_DAY = 6;
    static final double AMOUNT_ANOMALIES_PER_DAY = 35;
    static final double COUNTRY_MISMATCHES_PER_DAY = 45;
    static final double NEW_CARD_HIGH_AMOUNTS_PER_DAY = 40;
    static final double NIGHT_BURSTS_PER_DAY = 2.5;
    static final double LOOKALIKES_PER_DAY = 35;
    static final double FLASH_SALE_PROBABILITY_PER_DAY = 0.4;

    private static final long MINUTE = 60_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 86_400_000L;

    /** Relative legitimate traffic per UTC hour: quiet at night, peaks at lunch and in the evening. */
    private static final double[] HOURLY = {
            0.20, 0.12, 0.08, 0.07, 0.08, 0.15, 0.35, 0.60, 0.85, 1.00, 1.10, 1.20,
            1.25, 1.20, 1.10, 1.05, 1.10, 1.25, 1.45, 1.60, 1.50, 1.20, 0.80, 0.45};
    /** Digital goods (games, streaming, transit, app stores) sell at every hour, with a milder evening peak. */
    private static final double[] HOURLY_DIGITAL = {
            0.60, 0.50, 0.45, 0.40, 0.40, 0.45, 0.55, 0.70, 0.85, 0.95, 1.00, 1.05,
            1.10, 1.10, 1.05, 1.05, 1.10, 1.20, 1.30, 1.35, 1.30, 1.15, 0.95, 0.75};
    private static final String[] HOME_COUNTRIES = {"DE", "FR", "NL", "ES", "IT", "GB", "US"};
    private static final double[] HOME_COUNTRY_WEIGHTS = {0.25, 0.15, 0.10, 0.10, 0.10, 0.15, 0.15};
    private static final String[] COUNTRIES = {"DE", "FR", "NL", "ES", "IT", "GB", "US", "BE", "AT", "PL", "SE",
            "CH", "CA", "BR", "IN", "NG", "RU", "CN", "TR", "MX", "VN", "ID", "UA", "RO"};

    private TrafficGenerator() {
    }

    /** Every payment of the period, in time order. */
    public static List<GeneratedPayment> generate(Settings settings) {
        Run run = new Run(settings);
        run.generate();
        return run.payments;
    }

    private static final class Merchant {
        final String id;
        final String country;
        final String currency;
        final double medianEuros;
        final double sigma;
        final double dailyVolume;
        final double repeatShare;
        final boolean digital;
        /** Whether the merchant's integration passes the customer's IP address (and so its country). */
        final boolean sendsCustomerIp;
        /** Whether the card's issuing country is known for this merchant's payments. */
        final boolean knowsCardCountry;
        /** The day the merchant starts trading. */
        final int firstDay;
        final List<Card> customers = new ArrayList<>();
        int cardsIssued;

        Merchant(String id, String country, double medianEuros, double sigma, double dailyVolume, double repeatShare,
                 boolean digital, boolean sendsCustomerIp, boolean knowsCardCountry, int firstDay) {
            this.id = id;
            this.country = country;
            this.currency = switch (country) {
                case "GB" -> "GBP";
                case "US" -> "USD";
                default -> "EUR";
            };
            this.medianEuros = medianEuros;
            this.sigma = sigma;
            this.dailyVolume = dailyVolume;
            this.repeatShare = repeatShare;
            this.digital = digital;
            this.sendsCustomerIp = sendsCustomerIp;
            this.knowsCardCountry = knowsCardCountry;
            this.firstDay = firstDay;
        }
    }

    private record Card(String fingerprint, String bin, String last4, String country, String homeIp) {
    }

    private static final class Run {
        final Settings settings;
        final SplittableRandom random;
        final List<Merchant> merchants = new ArrayList<>();
        final List<GeneratedPayment> payments = new ArrayList<>();
        int legitimateIps;
        int fraudIps;
        /** The day being generated. */
        int day;

        Run(Settings settings) {
            this.settings = settings;
            this.random = new SplittableRandom(settings.seed());
        }

        void generate() {
            for (int i = 0; i < settings.merchants(); i++) {
                String country = pick(HOME_COUNTRIES, HOME_COUNTRY_WEIGHTS);
                boolean digital = random.nextDouble() < 0.3;
                double median = digital ? clamp(StrictMath.exp(gaussian(StrictMath.log(8), 0.7)), 0.5, 100)
                        : clamp(StrictMath.exp(gaussian(StrictMath.log(35), 0.8)), 3, 800);
                // Most merchants trade from day one; some are onboarded during the period and start with no history.
                int firstDay = random.nextDouble() < 0.15 ? 1 + random.nextInt(Math.max(1, settings.days() - 3)) : 0;
                merchants.add(new Merchant(String.format("mer_gen_%03d", i), country, median, uniform(0.35, 0.9),
                        clamp(StrictMath.exp(gaussian(StrictMath.log(120), 0.9)), 10, 3000), uniform(0.2, 0.75),
                        digital, random.nextDouble() < 0.5, random.nextDouble() < 0.6, firstDay));
            }
            long start = settings.start().toEpochMilli();
            for (day = 0; day < settings.days(); day++) {
                long dayStart = start + day * DAY;
                double weekday = day % 7 >= 5 ? 1.15 : 1.0;
                for (Merchant merchant : merchants) {
                    if (day < merchant.firstDay) {
                        continue;
                    }
                    long count = poisson(merchant.dailyVolume * weekday * StrictMath.exp(gaussian(0, 0.15)));
                    for (long i = 0; i < count; i++) {
                        legitimate(merchant, dayStart + dailyTime(merchant), merchant.repeatShare);
                    }
                }
                if (random.nextDouble() < FLASH_SALE_PROBABILITY_PER_DAY) {
                    flashSale(dayStart);
                }
                repeat(CARD_TESTING_PER_DAY, () -> cardTesting(dayStart));
                repeat(VELOCITY_ATTACKS_PER_DAY, () -> velocityAttack(dayStart));
                repeat(AMOUNT_ANOMALIES_PER_DAY, () -> amountAnomaly(dayStart));
                repeat(COUNTRY_MISMATCHES_PER_DAY, () -> countryMismatch(dayStart));
                repeat(NEW_CARD_HIGH_AMOUNTS_PER_DAY, () -> newCardHighAmount(dayStart));
                repeat(NIGHT_BURSTS_PER_DAY, () -> nightBurst(dayStart));
                repeat(LOOKALIKES_PER_DAY, () -> lookalike(dayStart));
            }
            payments.sort(Comparator.comparingLong(GeneratedPayment::timeMillis));
            applyLabelNoise();
        }

        // --- legitimate traffic ---

        void legitimate(Merchant merchant, long time, double repeatShare) {
            Card card = !merchant.customers.isEmpty() && random.nextDouble() < repeatShare
                    ? merchant.customers.get((int) (merchant.customers.size() * StrictMath.pow(random.nextDouble(), 2)))
                    : newCustomer(merchant);
            String ip = random.nextDouble() < 0.8 ? card.homeIp() : legitimateIp();
            String ipCountry = card.country();
            if (random.nextDouble() < 0.03) {
                ipCountry = randomCountry();
                ip = legitimateIp();
            }
            double euros = typicalAmount(merchant);
            if (random.nextDouble() < 0.01) {
                euros *= uniform(3, 8);
            }
            boolean declined = random.nextDouble() < 0.04;
            emit(merchant, time, euros, card, ip, ipCountry, declined, Pattern.LEGITIMATE);
            if (declined && random.nextDouble() < 0.5) {
                // the customer tries again, often at once
                emit(merchant, time + (long) (uniform(0.1, 5) * MINUTE), euros, card, ip, ipCountry,
                        random.nextDouble() < 0.4, Pattern.LEGITIMATE);
            } else if (random.nextDouble() < 0.03) {
                // a second order straight after the first (a forgotten item, a split basket)
                emit(merchant, time + (long) (uniform(0.05, 1.5) * MINUTE), typicalAmount(merchant), card, ip, ipCountry,
                        random.nextDouble() < 0.03, Pattern.LEGITIMATE);
            } else if (random.nextDouble() < 0.05) {
                int more = 1 + random.nextInt(3);
                for (int k = 0; k < more; k++) {
                    emit(merchant, time + (long) (uniform(1, 40) * MINUTE), typicalAmount(merchant), card, ip, ipCountry,
                            random.nextDouble() < 0.03, Pattern.LEGITIMATE);
                }
            }
        }

        /** A merchant's sale: a burst of legitimate payments, mostly from new customers, within the hour. */
        void flashSale(long dayStart) {
            Merchant merchant = anyMerchant();
            long start = dayStart + dailyTime(merchant);
            double minutes = uniform(20, 60);
            int count = 30 + random.nextInt(121);
            for (int i = 0; i < count; i++) {
                legitimate(merchant, start + (long) (random.nextDouble() * minutes * MINUTE), merchant.repeatShare / 2);
            }
        }

        // --- fraud ---

        /** Many small authorizations on fresh cards from one to three addresses within minutes; most declined. */
        void cardTesting(long dayStart) {
            Merchant merchant = random.nextDouble() < 0.7 ? digitalMerchant() : anyMerchant();
            long start = dayStart + fraudTime(merchant);
            double minutes = uniform(3, 15);
            int attempts = 25 + random.nextInt(126);
            String ipCountry = randomCountry();
            String[] ips = new String[1 + random.nextInt(3)];
            for (int i = 0; i < ips.length; i++) {
                ips[i] = fraudIp();
            }
            for (int i = 0; i < attempts; i++) {
                Card card = fraudCard(merchant, randomCountry());
                emit(merchant, start + (long) (random.nextDouble() * minutes * MINUTE), uniform(0.5, 5), card,
                        ips[random.nextInt(ips.length)], ipCountry, random.nextDouble() < 0.7, Pattern.CARD_TESTING);
            }
        }

        /** One stolen card used again and again within the hour until the issuer stops it; half are scripted, within minutes. */
        void velocityAttack(long dayStart) {
            Merchant merchant = anyMerchant();
            long start = dayStart + fraudTime(merchant);
            boolean scripted = random.nextDouble() < 0.5;
            int uses = scripted ? 5 + random.nextInt(21) : 4 + random.nextInt(17);
            double minutes = scripted ? uniform(1, 8) : uniform(15, 60);
            Card card = fraudCard(merchant, random.nextDouble() < 0.6 ? merchant.country : randomCountry());
            String ip = fraudIp();
            String ipCountry = random.nextDouble() < 0.5 ? card.country() : randomCountry();
            for (int i = 0; i < uses; i++) {
                boolean declined = random.nextDouble() < 0.15 + 0.4 * i / uses;
                emit(merchant, start + (long) (random.nextDouble() * minutes * MINUTE),
                        typicalAmount(merchant) * uniform(0.8, 3), card, ip, ipCountry, declined, Pattern.VELOCITY_ATTACK);
            }
        }

        /** Far above what the merchant usually sees, on a taken-over customer card or a stolen one. */
        void amountAnomaly(long dayStart) {
            Merchant merchant = anyMerchant();
            Card card = !merchant.customers.isEmpty() && random.nextDouble() < 0.4
                    ? merchant.customers.get(random.nextInt(merchant.customers.size()))
                    : fraudCard(merchant, random.nextDouble() < 0.7 ? merchant.country : randomCountry());
            String ipCountry = random.nextDouble() < 0.6 ? card.country() : randomCountry();
            emit(merchant, dayStart + fraudTime(merchant), merchant.medianEuros * uniform(5, 25), card, fraudIp(), ipCountry,
                    random.nextDouble() < 0.2, Pattern.AMOUNT_ANOMALY);
        }

        /** A card issued in one country used from an address in another. */
        void countryMismatch(long dayStart) {
            Merchant merchant = anyMerchant();
            String cardCountry = randomCountry();
            String ipCountry = randomCountry();
            while (ipCountry.equals(cardCountry)) {
                ipCountry = randomCountry();
            }
            Card card = fraudCard(merchant, cardCountry);
            String ip = fraudIp();
            long time = dayStart + fraudTime(merchant);
            int uses = 1 + random.nextInt(2);
            for (int i = 0; i < uses; i++) {
                emit(merchant, time + (long) (random.nextDouble() * 10 * MINUTE), typicalAmount(merchant) * uniform(0.7, 2.5),
                        card, ip, ipCountry, random.nextDouble() < 0.2, Pattern.COUNTRY_MISMATCH);
            }
        }

        /** A card never seen at the merchant, straight away at several times the usual amount. */
        void newCardHighAmount(long dayStart) {
            Merchant merchant = anyMerchant();
            Card card = fraudCard(merchant, merchant.country);
            emit(merchant, dayStart + fraudTime(merchant), merchant.medianEuros * uniform(2.5, 8), card, fraudIp(),
                    merchant.country, random.nextDouble() < 0.15, Pattern.NEW_CARD_HIGH_AMOUNT);
        }

        /** Between midnight and five, one address runs a handful of fresh cards at one merchant. */
        void nightBurst(long dayStart) {
            Merchant merchant = anyMerchant();
            long start = dayStart + (long) (random.nextDouble() * 5 * HOUR);
            double minutes = uniform(10, 40);
            int cards = 5 + random.nextInt(11);
            String ip = fraudIp();
            String ipCountry = randomCountry();
            for (int i = 0; i < cards; i++) {
                Card card = fraudCard(merchant, random.nextDouble() < 0.5 ? ipCountry : randomCountry());
                emit(merchant, start + (long) (random.nextDouble() * minutes * MINUTE),
                        typicalAmount(merchant) * uniform(0.8, 2), card, ip, ipCountry, random.nextDouble() < 0.35,
                        Pattern.NIGHT_BURST);
            }
        }

        /** Fraud with nothing unusual about it: a new local card, a usual amount, in the daytime. */
        void lookalike(long dayStart) {
            Merchant merchant = anyMerchant();
            Card card = fraudCard(merchant, merchant.country);
            emit(merchant, dayStart + dailyTime(merchant), typicalAmount(merchant), card, fraudIp(), merchant.country,
                    random.nextDouble() < 0.1, Pattern.LOOKALIKE);
        }

        // --- helpers ---

        void emit(Merchant merchant, long time, double euros, Card card, String ip, String ipCountry, boolean declined,
                  Pattern pattern) {
            double minorPerMajor = "JPY".equals(merchant.currency) ? 1 : 100;
            long amountMinor = Math.max(1, Math.round(euros / ReferenceRates.eurPerMajorUnit(merchant.currency) * minorPerMajor));
            boolean fraud = pattern != Pattern.LEGITIMATE;
            payments.add(new GeneratedPayment(time, merchant.id, merchant.currency, amountMinor, card.fingerprint(),
                    card.bin(), card.last4(), merchant.knowsCardCountry ? card.country() : null,
                    merchant.sendsCustomerIp ? ip : null, merchant.sendsCustomerIp ? ipCountry : null,
                    declined, pattern, fraud, fraud));
        }

        void applyLabelNoise() {
            SplittableRandom noise = random.split();
            for (int i = 0; i < payments.size(); i++) {
                GeneratedPayment p = payments.get(i);
                double flip = p.fraud() ? settings.fraudLabelNoise() : settings.legitimateLabelNoise();
                if (noise.nextDouble() < flip) {
                    payments.set(i, new GeneratedPayment(p.timeMillis(), p.merchantId(), p.currency(), p.amountMinor(),
                            p.fingerprint(), p.bin(), p.last4(), p.cardCountry(), p.customerIp(), p.ipCountry(),
                            p.declined(), p.pattern(), p.fraud(), !p.label()));
                }
            }
        }

        Card newCustomer(Merchant merchant) {
            String country = random.nextDouble() < 0.85 ? merchant.country : randomCountry();
            Card card = newCard(merchant, country, legitimateIp());
            merchant.customers.add(card);
            return card;
        }

        Card fraudCard(Merchant merchant, String country) {
            return newCard(merchant, country, null);
        }

        Card newCard(Merchant merchant, String country, String homeIp) {
            String bin = (random.nextDouble() < 0.6 ? "4" : "5") + String.format("%05d", random.nextInt(100_000));
            return new Card("fp_" + merchant.id.substring(4) + "_" + merchant.cardsIssued++, bin,
                    String.format("%04d", random.nextInt(10_000)), country, homeIp);
        }

        String legitimateIp() {
            int n = legitimateIps++;
            return "10." + ((n >> 16) & 255) + "." + ((n >> 8) & 255) + "." + (n & 255);
        }

        String fraudIp() {
            int n = fraudIps++;
            return "172." + (16 + ((n >> 16) & 15)) + "." + ((n >> 8) & 255) + "." + (n & 255);
        }

        double typicalAmount(Merchant merchant) {
            return StrictMath.exp(gaussian(StrictMath.log(merchant.medianEuros), merchant.sigma));
        }

        /** Milliseconds into the day, following the merchant's daily cycle of legitimate traffic. */
        long dailyTime(Merchant merchant) {
            return pickHour(merchant.digital ? HOURLY_DIGITAL : HOURLY) * HOUR + (long) (random.nextDouble() * HOUR);
        }

        /** Fraudsters keep other hours too: a fifth of fraud falls between midnight and six. */
        long fraudTime(Merchant merchant) {
            return random.nextDouble() < 0.2 ? (long) (random.nextDouble() * 6 * HOUR) : dailyTime(merchant);
        }

        int pickHour(double[] profile) {
            double total = 0;
            for (double weight : profile) {
                total += weight;
            }
            double u = random.nextDouble() * total;
            for (int hour = 0; hour < 24; hour++) {
                u -= profile[hour];
                if (u < 0) {
                    return hour;
                }
            }
            return 23;
        }

        /** A merchant trading on the current day. */
        Merchant anyMerchant() {
            Merchant merchant = merchants.get(random.nextInt(merchants.size()));
            while (merchant.firstDay > day) {
                merchant = merchants.get(random.nextInt(merchants.size()));
            }
            return merchant;
        }

        Merchant digitalMerchant() {
            List<Merchant> digital = merchants.stream().filter(m -> m.digital && m.firstDay <= day).toList();
            return digital.isEmpty() ? anyMerchant() : digital.get(random.nextInt(digital.size()));
        }

        String randomCountry() {
            return COUNTRIES[random.nextInt(COUNTRIES.length)];
        }

        /** Runs {@code episode} a Poisson-distributed number of times with the given mean. */
        void repeat(double mean, Runnable episode) {
            long times = poisson(mean);
            for (long i = 0; i < times; i++) {
                episode.run();
            }
        }

        long poisson(double mean) {
            if (mean > 50) {
                return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(0, 1)));
            }
            double limit = StrictMath.exp(-mean);
            double product = random.nextDouble();
            long count = 0;
            while (product > limit) {
                count++;
                product *= random.nextDouble();
            }
            return count;
        }

        double gaussian(double mean, double deviation) {
            // Box-Muller on the seeded stream, so the result does not depend on the JDK's nextGaussian.
            double u1 = 1.0 - random.nextDouble();
            double u2 = random.nextDouble();
            return mean + deviation * Math.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
        }

        double uniform(double from, double to) {
            return from + (to - from) * random.nextDouble();
        }

        String pick(String[] values, double[] weights) {
            double u = random.nextDouble();
            for (int i = 0; i < values.length; i++) {
                u -= weights[i];
                if (u < 0) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        static double clamp(double value, double min, double max) {
            return Math.max(min, Math.min(max, value));
        }
    }
}
