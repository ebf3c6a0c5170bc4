package dev.nightjar.platform.bench;

import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.platform.TestCards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cards an open-loop run pays with, in a fixed repeating order: mostly approved (Visa and Mastercard
 * in turn), some declined by the acquirer, and one held for review by the risk engine when the simulator
 * lists that card. The acquirer-timeout card is left out on purpose: each of its payments waits out the
 * acquirer's timeout, seconds long, so it would make the p99 that timeout instead of the platform's latency
 * (the chaos run exercises it).
 */
final class CardMix {

    /**
     * A kind of card and what the API answers for it. Declines and reviews are not errors: the API creates
     * the payment (201) with its status, as docs/api.md says ("A declined or failed payment is not an error").
     */
    enum CardKind {
        APPROVED(201, PaymentStatus.CAPTURED),
        DECLINED(201, PaymentStatus.DECLINED),
        REVIEW(201, PaymentStatus.REQUIRES_REVIEW);

        private final int expectedHttpStatus;
        private final PaymentStatus expectedPaymentStatus;

        CardKind(int expectedHttpStatus, PaymentStatus expectedPaymentStatus) {
            this.expectedHttpStatus = expectedHttpStatus;
            this.expectedPaymentStatus = expectedPaymentStatus;
        }

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The answer a healthy platform gives this card, as {@code 201 captured}. */
        String expected() {
            return expectedHttpStatus + " " + expectedPaymentStatus.wire();
        }

        /** Whether the answer is the one this card should get; {@code httpStatus} -1 means no answer. */
        boolean isExpected(int httpStatus, String paymentStatus) {
            return httpStatus == expectedHttpStatus && expectedPaymentStatus.wire().equals(paymentStatus);
        }
    }

    /** One card of the mix; the number goes into requests only, never into output. */
    record Card(CardKind kind, String brand, String number) {

        @Override
        public String toString() {
            return kind.wire() + " " + brand;
        }
    }

    /** Of every twenty payments: seventeen approved, two declined, one held for review (when listed). */
    private static final int APPROVED_IN_TWENTY = 17;
    private static final int DECLINED_IN_TWENTY = 2;
    private static final int REVIEW_IN_TWENTY = 1;

    private final List<Card> cycle;

    CardMix(List<Card> cycle) {
        if (cycle.isEmpty()) {
            throw new IllegalArgumentException("a card mix needs at least one card");
        }
        this.cycle = List.copyOf(cycle);
    }

    /** The mix from the cards the simulator lists; without its review card, the review share is approved. */
    static CardMix of(TestCards cards) {
        return of(cards, cards.firstDescribedAs("approved", "visa", "review")
                .map(number -> new Card(CardKind.REVIEW, "visa", number)).orElse(null));
    }

    /** The same mix with no card held for review: its share is approved, so no payment waits in the review queue. */
    static CardMix withoutReview(TestCards cards) {
        return of(cards, null);
    }

    private static CardMix of(TestCards cards, Card reviewOrNull) {
        Card visa = new Card(CardKind.APPROVED, "visa", cards.require("approved", "visa"));
        Card mastercard = new Card(CardKind.APPROVED, "mastercard", cards.require("approved", "mastercard"));
        Card declined = new Card(CardKind.DECLINED, "visa", cards.require("declined", "visa"));
        return mixed(visa, mastercard, declined, reviewOrNull);
    }

    /** Declines and reviews spread through the cycle rather than bunched at its end. */
    static CardMix mixed(Card approved, Card approvedOtherBrand, Card declined, Card reviewOrNull) {
        List<Card> cycle = new ArrayList<>();
        int approvedCount = APPROVED_IN_TWENTY + (reviewOrNull == null ? REVIEW_IN_TWENTY : 0);
        int approvedSent = 0;
        for (int slot = 0; slot < APPROVED_IN_TWENTY + DECLINED_IN_TWENTY + REVIEW_IN_TWENTY; slot++) {
            if (slot == 6 || slot == 16) {
                cycle.add(declined);
            } else if (slot == 11 && reviewOrNull != null) {
                cycle.add(reviewOrNull);
            } else {
                cycle.add(approvedSent++ % 2 == 0 ? approved : approvedOtherBrand);
            }
        }
        if (approvedSent != approvedCount) {
            throw new IllegalStateException("the mix's approved share is " + approvedSent + ", not " + approvedCount);
        }
        return new CardMix(cycle);
    }

    /** The card of request {@code n}. */
    Card card(long n) {
        return cycle.get((int) (n % cycle.size()));
    }

    /** Each card (by kind and brand, never by number) with its share of the payments, in percent. */
    Map<String, Double> sharesPercent() {
        Map<String, Double> shares = new LinkedHashMap<>();
        for (Card card : cycle) {
            shares.merge(card.toString(), 100.0 / cycle.size(), Double::sum);
        }
        return shares;
    }

    /** Each kind with the answer it should get, as {@code approved -> 201 captured}. */
    Map<String, String> expectedAnswers() {
        Map<String, String> expected = new LinkedHashMap<>();
        cycle.forEach(card -> expected.putIfAbsent(card.kind().wire(), card.kind().expected()));
        return expected;
    }
}
