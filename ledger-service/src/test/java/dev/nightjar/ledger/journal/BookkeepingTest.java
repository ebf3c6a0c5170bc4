package dev.nightjar.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.PaymentEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BookkeepingTest {

    static EventEnvelope<PaymentEvent> event(String type, String eventId, String merchant, long change, String currency) {
        PaymentEvent payment = new PaymentEvent("pay_1", merchant, "captured", "automatic", change, currency, 0, change, 0,
                change, null, "acquirer-a", "nw", null, null, "visa", "4242", "fp", 10, "allow", Instant.now(), Instant.now(), null, null);
        return new EventEnvelope<>(eventId, type, 1, Instant.now(), merchant, null, payment);
    }

    @Test
    void captureDebitsTheAcquirerAndCreditsTheMerchantForTheCapturedAmount() {
        JournalEntry entry = Bookkeeping.entryFor(event("payment.captured", "evt_1", "mer_1", 1999, "EUR")).orElseThrow();
        assertThat(entry.postings()).containsExactly(
                new Posting("acquirer_receivable:acquirer-a:EUR", 1999, "EUR"),
                new Posting("merchant_payable:mer_1:EUR", -1999, "EUR"));
        assertThat(entry.sourceEventId()).isEqualTo("evt_1");
        assertThat(entry.id()).startsWith("je_");
    }

    @Test
    void refundReversesTheCaptureForTheRefundedAmount() {
        JournalEntry entry = Bookkeeping.entryFor(event("refund.succeeded", "evt_r", "mer_1", 500, "EUR")).orElseThrow();
        assertThat(entry.kind()).isEqualTo("refund");
        assertThat(entry.postings()).containsExactly(
                new Posting("merchant_payable:mer_1:EUR", 500, "EUR"),
                new Posting("acquirer_receivable:acquirer-a:EUR", -500, "EUR"));
    }

    @Test
    void eventsThatMoveNoMoneyMakeNoEntry() {
        assertThat(Bookkeeping.entryFor(event("payment.declined", "evt_2", "mer_1", 0, "EUR"))).isEmpty();
        assertThat(Bookkeeping.entryFor(event("payment.pending", "evt_3", "mer_1", 0, "EUR"))).isEmpty();
    }

    @Test
    void unbalancedEntryCannotBeMade() {
        assertThatThrownBy(() -> new JournalEntry("je_1", Instant.now(), "mer_1", "x", null, "evt", "d", List.of(
                new Posting("a:x:EUR", 100, "EUR"), new Posting("b:x:EUR", -99, "EUR"))))
                .hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> new JournalEntry("je_1", Instant.now(), "mer_1", "x", null, "evt", "d", List.of(
                new Posting("a:x:EUR", 100, "EUR"), new Posting("b:x:USD", -100, "USD"))))
                .hasMessageContaining("unbalanced");
        assertThatThrownBy(() -> new Posting("a:x:EUR", 0, "EUR")).hasMessageContaining("zero");
    }
}
