package dev.nightjar.risk.features;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The streaming features held in memory for scoring: sliding-window counts per card fingerprint (1 minute,
 * 1 hour, 1 day; declines in the hour; distinct merchants in the day), merchant (1 minute to 1 day; declines)
 * and IP address (1 minute, 1 hour; distinct cards in the hour), merchants' amount statistics per currency and when each card was first seen. One writer
 * (the Kafka consumer, or a replay) applies {@link FeatureDelta}s; any number of request threads read.
 *
 * <p>Bounded: cards and IP addresses idle for longer than the day window are dropped by {@link #maintain},
 * and when a map outgrows its limit the keys idle longest make room. Merchants are few and keep their
 * amount statistics, so they leave only under that limit.
 */
public final class FeatureStore {

    /** A key idle this long has nothing left in any window. */
    public static final long IDLE_MINUTES = 25 * 60;
    /** Distinct merchants kept per card, distinct cards per IP address: counts saturate there. */
    static final int MERCHANTS_PER_CARD = 16;
    static final int CARDS_PER_IP = 64;

    /** How many keys of each kind may be held; memory is roughly 0.5 KiB per card or IP address. */
    public record Limits(int maxCards, int maxMerchants, int maxIps) {
        public Limits {
            if (maxCards < 1 || maxMerchants < 1 || maxIps < 1) {
                throw new IllegalArgumentException("feature store limits must be positive");
            }
        }
    }

    private interface KeyState {
        long lastMinute();
    }

    static final class CardState implements KeyState {
        final WindowCounts counts = new WindowCounts(true);
        final DistinctRecent merchants = new DistinctRecent(MERCHANTS_PER_CARD);
        long firstSeenMinute = Long.MAX_VALUE;

        @Override
        public synchronized long lastMinute() {
            return counts.lastMinute();
        }
    }

    static final class MerchantState implements KeyState {
        final WindowCounts counts = new WindowCounts(true);
        AmountStats[] amounts = new AmountStats[0];

        AmountStats amounts(String currency) {
            for (AmountStats stats : amounts) {
                if (stats.currency.equals(currency)) {
                    return stats;
                }
            }
            return null;
        }

        AmountStats amountsCreating(String currency) {
            AmountStats stats = amounts(currency);
            if (stats == null) {
                stats = new AmountStats(currency);
                amounts = Arrays.copyOf(amounts, amounts.length + 1);
                amounts[amounts.length - 1] = stats;
            }
            return stats;
        }

        @Override
        public synchronized long lastMinute() {
            return counts.lastMinute();
        }
    }

    static final class IpState implements KeyState {
        final WindowCounts counts = new WindowCounts(false);
        final DistinctRecent cards = new DistinctRecent(CARDS_PER_IP);

        @Override
        public synchronized long lastMinute() {
            return counts.lastMinute();
        }
    }

    private final Limits limits;
    private final ConcurrentHashMap<String, CardState> cards = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MerchantState> merchants = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, IpState> ips = new ConcurrentHashMap<>();

    public FeatureStore(Limits limits) {
        this.limits = limits;
    }

    public void applyAll(List<? extends FeatureDelta> deltas) {
        for (FeatureDelta delta : deltas) {
            apply(delta);
        }
    }

    public void apply(FeatureDelta delta) {
        switch (delta) {
            case FeatureDelta.Bucket bucket -> applyBucket(bucket);
            case FeatureDelta.Member member -> applyMember(member);
            case FeatureDelta.Amount amount -> merchants.compute(amount.merchantId(), (key, state) -> {
                MerchantState merchant = state == null ? new MerchantState() : state;
                synchronized (merchant) {
                    merchant.amountsCreating(amount.currency()).add(amount.count(), amount.sum(), amount.sumOfSquares());
                }
                return merchant;
            });
            case FeatureDelta.FirstSeen first -> cards.compute(first.fingerprint(), (key, state) -> {
                CardState card = state == null ? new CardState() : state;
                synchronized (card) {
                    card.firstSeenMinute = Math.min(card.firstSeenMinute, first.minute());
                }
                return card;
            });
        }
        enforceLimits();
    }

    private void applyBucket(FeatureDelta.Bucket bucket) {
        switch (bucket.kind()) {
            case CARD -> cards.compute(bucket.key(), (key, state) -> {
                CardState card = state == null ? new CardState() : state;
                synchronized (card) {
                    card.counts.add(bucket.minute(), bucket.payments(), bucket.declines());
                }
                return card;
            });
            case MERCHANT -> merchants.compute(bucket.key(), (key, state) -> {
                MerchantState merchant = state == null ? new MerchantState() : state;
                synchronized (merchant) {
                    merchant.counts.add(bucket.minute(), bucket.payments(), bucket.declines());
                }
                return merchant;
            });
            case IP -> ips.compute(bucket.key(), (key, state) -> {
                IpState ip = state == null ? new IpState() : state;
                synchronized (ip) {
                    ip.counts.add(bucket.minute(), bucket.payments(), bucket.declines());
                }
                return ip;
            });
        }
    }

    private void applyMember(FeatureDelta.Member member) {
        switch (member.kind()) {
            case CARD -> cards.compute(member.key(), (key, state) -> {
                CardState card = state == null ? new CardState() : state;
                synchronized (card) {
                    card.merchants.touch(member.member(), member.minute());
                }
                return card;
            });
            case IP -> ips.compute(member.key(), (key, state) -> {
                IpState ip = state == null ? new IpState() : state;
                synchronized (ip) {
                    ip.cards.touch(member.member(), member.minute());
                }
                return ip;
            });
            case MERCHANT -> throw new IllegalArgumentException("merchants keep no members");
        }
    }

    /** Drops cards and IP addresses idle for longer than the day window, then holds every map to its limit. */
    public void maintain(long nowMinute) {
        long idleBefore = nowMinute - IDLE_MINUTES;
        dropIdle(cards, idleBefore);
        dropIdle(ips, idleBefore);
        enforceLimits();
    }

    private void enforceLimits() {
        shrink(cards, limits.maxCards());
        shrink(merchants, limits.maxMerchants());
        shrink(ips, limits.maxIps());
    }

    private static <S extends KeyState> void dropIdle(ConcurrentHashMap<String, S> map, long idleBefore) {
        for (String key : map.keySet()) {
            map.computeIfPresent(key, (k, state) -> state.lastMinute() < idleBefore ? null : state);
        }
    }

    /** Past its limit, a map drops the keys idle longest until it is down to nine tenths of the limit. */
    private static <S extends KeyState> void shrink(ConcurrentHashMap<String, S> map, int limit) {
        if (map.size() <= limit) {
            return;
        }
        long[] lastMinutes = map.values().stream().mapToLong(KeyState::lastMinute).sorted().toArray();
        int excess = lastMinutes.length - limit * 9 / 10;
        if (excess <= 0) {
            return;
        }
        long cutoff = lastMinutes[excess - 1];
        int[] dropped = {0};
        for (String key : map.keySet()) {
            if (dropped[0] >= excess) {
                break;
            }
            map.computeIfPresent(key, (k, state) -> {
                if (state.lastMinute() <= cutoff) {
                    dropped[0]++;
                    return null;
                }
                return state;
            });
        }
    }

    // --- reads: each key under its own lock, never allocating on the scoring path ---

    CardState card(String fingerprint) {
        return fingerprint == null ? null : cards.get(fingerprint);
    }

    MerchantState merchant(String merchantId) {
        return merchantId == null ? null : merchants.get(merchantId);
    }

    IpState ip(String address) {
        return address == null ? null : ips.get(address);
    }

    public int cardCount() {
        return cards.size();
    }

    public int merchantCount() {
        return merchants.size();
    }

    public int ipCount() {
        return ips.size();
    }

    /** A card's windows as of {@code nowMillis}, for operators and tests. */
    public record CardCounts(double paymentsLastMinute, int paymentsLastHour, int paymentsLastDay, int declinesLastHour,
                             int distinctMerchantsLastDay, long firstSeenMinute) {
    }

    public Optional<CardCounts> cardCounts(String fingerprint, long nowMillis) {
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        return read(card(fingerprint), card -> new CardCounts(card.counts.paymentsLastMinute(nowMillis),
                card.counts.payments(nowMinute, 60), card.counts.paymentsLastDay(nowMinute), card.counts.declines(nowMinute, 60),
                card.merchants.count(nowMinute, 24 * 60), card.firstSeenMinute));
    }

    /** A merchant's windows as of {@code nowMillis}, for operators and tests. */
    public record MerchantCounts(double paymentsLastMinute, int paymentsLastHour, int paymentsLastDay,
                                 int declinesLastHour, Map<String, Long> amountObservations) {
    }

    public Optional<MerchantCounts> merchantCounts(String merchantId, long nowMillis) {
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        return read(merchant(merchantId), merchant -> {
            Map<String, Long> observations = new TreeMap<>();
            for (AmountStats stats : merchant.amounts) {
                observations.put(stats.currency, stats.count());
            }
            return new MerchantCounts(merchant.counts.paymentsLastMinute(nowMillis), merchant.counts.payments(nowMinute, 60),
                    merchant.counts.paymentsLastDay(nowMinute), merchant.counts.declines(nowMinute, 60), observations);
        });
    }

    /** An IP address's windows as of {@code nowMillis}, for operators and tests. */
    public record IpCounts(double paymentsLastMinute, int paymentsLastHour, int distinctCardsLastHour) {
    }

    public Optional<IpCounts> ipCounts(String address, long nowMillis) {
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        return read(ip(address), ip -> new IpCounts(ip.counts.paymentsLastMinute(nowMillis), ip.counts.payments(nowMinute, 60),
                ip.cards.count(nowMinute, 60)));
    }

    /** A view of one key's state taken under its lock; empty when the key is not held. */
    private static <S, V> Optional<V> read(S state, Function<S, V> view) {
        if (state == null) {
            return Optional.empty();
        }
        synchronized (state) {
            return Optional.of(view.apply(state));
        }
    }
}
