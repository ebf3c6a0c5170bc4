package dev.nightjar.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.ledger.ChainHash;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.SettlementEvent;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Every lifecycle path makes balanced entries, and together they leave the expected balances. */
class BookkeepingTest {

    /** 1.40% plus 25 cents in EUR. */
    private final Bookkeeping books = new Bookkeeping(new FeeSchedule(140, Map.of("EUR", 25L), Map.of("mer_vip", 50)));
    private final Map<String, Long> holds = new HashMap<>();
    private int events;

    private EventEnvelope<PaymentEvent> payment(String type, String method, long amount, long capturable, long change) {
        PaymentEvent payment = new PaymentEvent("pay_1", "mer_1", dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, method, amount, "EUR", capturable, 0, 0, change,
                type.startsWith("refund") ? "re_1" : null, "acquirer-a", "nw_auth", null, null, "visa", "4242", "fp", 10,
                dev.nightjar.contracts.contract.RiskDecision.ALLOW, Instant.now(), Instant.now(), null, null);
        return new EventEnvelope<>("evt_" + ++events, type, 1, Instant.now(), "mer_1", null, payment);
    }

    private List<JournalEntry> book(EventEnvelope<?> event) {
        return books.entriesFor(event, holds);
    }

    private static Map<String, Long> balances(List<JournalEntry> entries) {
        Map<String, Long> balances = new TreeMap<>();
        entries.forEach(e -> e.postings().forEach(p -> balances.merge(p.account(), p.amountMinor(), Long::sum)));
        balances.values().removeIf(v -> v == 0);
        return balances;
    }

    @Test
    void saleCapturesWithTheFeeFromTheSchedule() {
        List<JournalEntry> entries = book(payment(EventType.PAYMENT_CAPTURED.wire(), "automatic", 10_000, 0, 10_000));
        assertThat(entries).singleElement().satisfies(entry -> {
            assertThat(entry.kind()).isEqualTo("capture");
            assertThat(entry.feeMinor()).isEqualTo(165);
            assertThat(entry.postings()).containsExactly(
                    new Posting("acquirer_receivable:acquirer-a:EUR", 10_000, "EUR"),
                    new Posting("merchant_payable:mer_1:EUR", -9_835, "EUR"),
                    new Posting("fee_revenue:nightjar:EUR", -165, "EUR"));
            assertThat(entry.authorizationReference()).isEqualTo("nw_auth");
        });
    }

    @Test
    void authorizationHoldIsAMemoReleasedByPartialCapturesAndTheFinalOne() {
        List<JournalEntry> all = new ArrayList<>();
        all.addAll(book(payment(EventType.PAYMENT_AUTHORIZED.wire(), "manual", 5_000, 5_000, 0)));
        assertThat(balances(all)).containsEntry("authorization_holds:mer_1:EUR", 5_000L)
                .containsEntry("authorization_hold_offset:mer_1:EUR", -5_000L);
        all.addAll(book(payment(EventType.PAYMENT_CAPTURED.wire(), "manual", 5_000, 3_000, 2_000)));
        assertThat(balances(all)).containsEntry("authorization_holds:mer_1:EUR", 3_000L);
        // A final partial capture releases what remains of the hold.
        all.addAll(book(payment(EventType.PAYMENT_CAPTURED.wire(), "manual", 5_000, 0, 1_000)));
        assertThat(balances(all)).doesNotContainKeys("authorization_holds:mer_1:EUR", "authorization_hold_offset:mer_1:EUR")
                .containsEntry("acquirer_receivable:acquirer-a:EUR", 3_000L)
                .containsEntry("merchant_payable:mer_1:EUR", -(3_000L - (28 + 25) - (14 + 25)))
                .containsEntry("fee_revenue:nightjar:EUR", -(28L + 25 + 14 + 25));
        assertThat(all).extracting(JournalEntry::kind).containsExactly("hold", "hold", "capture", "hold", "capture");
    }

    @Test
    void canceledAuthorizationReleasesTheWholeHoldAndMovesNoMoney() {
        List<JournalEntry> all = new ArrayList<>(book(payment(EventType.PAYMENT_AUTHORIZED.wire(), "manual", 700, 700, 0)));
        all.addAll(book(payment(EventType.PAYMENT_CANCELED.wire(), "manual", 700, 0, 0)));
        assertThat(balances(all)).isEmpty();
        assertThat(all).hasSize(2).allSatisfy(e -> assertThat(e.kind()).isEqualTo("hold"));
    }

    @Test
    void refundReversesTheCaptureForTheRefundedAmountAndKeepsTheFee() {
        List<JournalEntry> all = new ArrayList<>(book(payment(EventType.PAYMENT_CAPTURED.wire(), "automatic", 10_000, 0, 10_000)));
        all.addAll(book(payment(EventType.REFUND_SUCCEEDED.wire(), "automatic", 10_000, 0, 4_000)));
        assertThat(all.get(1).postings()).containsExactly(
                new Posting("merchant_payable:mer_1:EUR", 4_000, "EUR"),
                new Posting("acquirer_receivable:acquirer-a:EUR", -4_000, "EUR"));
        assertThat(balances(all)).containsEntry("acquirer_receivable:acquirer-a:EUR", 6_000L)
                .containsEntry("merchant_payable:mer_1:EUR", -5_835L);
    }

    @Test
    void settlementClearsTheReceivableAndPayoutEmptiesTheMerchantPayable() {
        List<JournalEntry> all = new ArrayList<>(book(payment(EventType.PAYMENT_CAPTURED.wire(), "automatic", 10_000, 0, 10_000)));
        // The acquirer reports what the ledger expected and keeps 90 bps.
        all.addAll(book(settled(10_000, 10_000, 90, 9_835)));
        assertThat(all).extracting(JournalEntry::kind).containsExactly("capture", "settlement", "payout");
        assertThat(balances(all)).containsOnly(
                Map.entry("fee_revenue:nightjar:EUR", -165L),
                Map.entry("acquirer_fees:acquirer-a:EUR", 90L),
                Map.entry("cash:nightjar:EUR", 75L));
    }

    @Test
    void settlementShortOfTheLedgerPutsTheDifferenceInSuspense() {
        List<JournalEntry> all = new ArrayList<>(book(payment(EventType.PAYMENT_CAPTURED.wire(), "automatic", 10_000, 0, 10_000)));
        all.addAll(book(settled(10_000, 9_900, 89, 9_835)));
        assertThat(balances(all)).containsEntry("suspense:acquirer-a:EUR", 100L)
                .doesNotContainKey("acquirer_receivable:acquirer-a:EUR")
                .doesNotContainKey("merchant_payable:mer_1:EUR");
    }

    @Test
    void settlementOfNothingButAnUnknownLineCreditsSuspenseAndPaysNoOne() {
        List<JournalEntry> entries = book(settled(0, 500, 5, 0));
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.postings()).containsExactlyInAnyOrder(
                new Posting("cash:nightjar:EUR", 495, "EUR"),
                new Posting("acquirer_fees:acquirer-a:EUR", 5, "EUR"),
                new Posting("suspense:acquirer-a:EUR", -500, "EUR")));
    }

    @Test
    void eventsThatMoveNoMoneyMakeNoEntry() {
        assertThat(book(payment(EventType.PAYMENT_DECLINED.wire(), "automatic", 100, 0, 0))).isEmpty();
        assertThat(book(payment(EventType.PAYMENT_PENDING.wire(), "automatic", 100, 0, 0))).isEmpty();
        SettlementEvent settled = new SettlementEvent("stb_1", "mer_1", "acquirer-a", "EUR", LocalDate.now(), 0, 0, 0, 0,
                "pay_1", 100);
        assertThat(book(new EventEnvelope<>("evt_s", EventType.PAYMENT_SETTLED.wire(), 1, Instant.now(), "mer_1", null, settled)))
                .isEmpty();
    }

    @Test
    void transactionServicesPaymentSettledOnPaymentEventsBooksNothingAfterTheCapture() {
        book(payment(EventType.PAYMENT_AUTHORIZED.wire(), "manual", 10_000, 10_000, 0));
        assertThat(book(payment(EventType.PAYMENT_CAPTURED.wire(), "manual", 10_000, 0, 8_000))).extracting(JournalEntry::kind)
                .containsExactly("hold", "capture");
        assertThat(book(payment(EventType.PAYMENT_SETTLED.wire(), "manual", 10_000, 0, 0)))
                .as("settlement's money is booked from settlement.merchant_settled only").isEmpty();
    }

    @Test
    void merchantRateAndFixedFeeNeverExceedTheAmount() {
        FeeSchedule fees = new FeeSchedule(140, Map.of("EUR", 25L), Map.of("mer_vip", 50));
        assertThat(fees.captureFee("mer_vip", "USD", 10_000)).isEqualTo(50);
        assertThat(fees.captureFee("mer_1", "EUR", 10)).isEqualTo(10);
        assertThat(fees.captureFee("mer_1", "USD", 35)).isZero();
        assertThat(fees.captureFee("mer_1", "USD", 36)).isEqualTo(1);
    }

    @Test
    void unbalancedEntryCannotBeMade() {
        assertThatThrownBy(() -> entry(List.of(new Posting("a:x:EUR", 100, "EUR"), new Posting("b:x:EUR", -99, "EUR"))))
                .hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> entry(List.of(new Posting("a:x:EUR", 100, "EUR"), new Posting("b:x:USD", -100, "USD"))))
                .hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> entry(List.of(new Posting("a:x:EUR", 100, "USD"), new Posting("b:x:USD", -100, "USD"))))
                .hasMessageContaining("on account a:x:EUR");
        assertThatThrownBy(() -> new Posting("a:x:EUR", 0, "EUR")).hasMessageContaining("zero");
    }

    @Test
    void chainHashChangesWithAnyFieldAndWithThePreviousHash() {
        JournalEntry entry = entry(List.of(new Posting("a:x:EUR", 100, "EUR"), new Posting("b:x:EUR", -100, "EUR")));
        String hash = ChainHash.of(ChainHash.GENESIS, 1, entry);
        // the hash chains already stored hold: a change to the canonical form breaks every one of them
        assertThat(hash).isEqualTo("c3550cc8647309aa156e324ea0330e49bba2ce206408e8cba8eecb55669e5676");
        assertThat(ChainHash.of(hash, 1, entry)).isNotEqualTo(hash);
        assertThat(ChainHash.of(ChainHash.GENESIS, 2, entry)).isNotEqualTo(hash);
        JournalEntry altered = entry(List.of(new Posting("a:x:EUR", 101, "EUR"), new Posting("b:x:EUR", -101, "EUR")));
        assertThat(ChainHash.of(ChainHash.GENESIS, 1, altered)).isNotEqualTo(hash);
    }

    private EventEnvelope<SettlementEvent> settled(long cleared, long reported, long fee, long payout) {
        SettlementEvent settled = new SettlementEvent("stb_1", "mer_1", "acquirer-a", "EUR", LocalDate.now(), cleared,
                reported, fee, payout, null, 0);
        return new EventEnvelope<>("evt_" + ++events, EventType.MERCHANT_SETTLED.wire(), 1, Instant.now(), "mer_1", null, settled);
    }

    private static JournalEntry entry(List<Posting> postings) {
        return new JournalEntry("je_1", Instant.ofEpochMilli(1_700_000_000_000L), "mer_1", "x", null, "evt", "d", null,
                null, "EUR", 100, 0, postings, 0, null, null);
    }
}
