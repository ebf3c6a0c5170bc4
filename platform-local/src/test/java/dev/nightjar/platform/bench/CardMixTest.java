package dev.nightjar.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.platform.bench.CardMix.Card;
import dev.nightjar.platform.bench.CardMix.CardKind;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CardMixTest {

    static final Card VISA = new Card(CardKind.APPROVED, "visa", "4242424242424242");
    static final Card MASTERCARD = new Card(CardKind.APPROVED, "mastercard", "5555555555554444");
    static final Card DECLINED = new Card(CardKind.DECLINED, "visa", "4000000000000002");
    static final Card REVIEW = new Card(CardKind.REVIEW, "visa", "4000000000004954");

    @Test
    void mostPaymentsAreApprovedTwoInTwentyDeclinedAndOneHeldForReview() {
        CardMix mix = CardMix.mixed(VISA, MASTERCARD, DECLINED, REVIEW);
        Map<CardKind, Long> kinds = LongStream.range(0, 200).mapToObj(mix::card)
                .collect(java.util.stream.Collectors.groupingBy(Card::kind, java.util.stream.Collectors.counting()));
        assertThat(kinds).containsExactlyInAnyOrderEntriesOf(Map.of(CardKind.APPROVED, 170L, CardKind.DECLINED, 20L,
                CardKind.REVIEW, 10L));
        assertThat(mix.sharesPercent()).containsOnlyKeys("approved visa", "approved mastercard", "declined visa", "review visa");
        assertThat(mix.sharesPercent().get("declined visa")).isEqualTo(10.0, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void withoutAReviewCardItsShareIsApproved() {
        CardMix mix = CardMix.mixed(VISA, MASTERCARD, DECLINED, null);
        assertThat(LongStream.range(0, 20).mapToObj(mix::card).filter(card -> card.kind() == CardKind.APPROVED)).hasSize(18);
        assertThat(mix.expectedAnswers()).containsOnlyKeys("approved", "declined");
    }

    @Test
    void aDeclineAnsweredAsADeclinedPaymentIsExpectedNotAnError() {
        assertThat(CardKind.DECLINED.isExpected(201, "declined")).isTrue();
        assertThat(CardKind.APPROVED.isExpected(201, "declined")).isFalse();
        assertThat(CardKind.APPROVED.isExpected(201, "pending")).isFalse();
        assertThat(CardKind.REVIEW.isExpected(201, "requires_review")).isTrue();
        assertThat(CardKind.APPROVED.isExpected(OpenLoop.NO_ANSWER, null)).isFalse();
        assertThat(CardKind.APPROVED.isExpected(503, null)).isFalse();
        assertThat(CardMix.mixed(VISA, MASTERCARD, DECLINED, REVIEW).expectedAnswers()).containsExactly(
                Map.entry("approved", "201 captured"), Map.entry("declined", "201 declined"),
                Map.entry("review", "201 requires_review"));
    }

    @Test
    void aCardPrintsAsItsKindAndBrandNeverItsNumber() {
        assertThat(VISA.toString()).isEqualTo("approved visa").doesNotContain("4242");
    }
}
