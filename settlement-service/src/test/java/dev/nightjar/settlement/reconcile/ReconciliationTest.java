package dev.nightjar.settlement.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReportLine;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.settlement.item.SettlementItem;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReconciliationTest {

    private static SettlementItem item(String id, String payment, String operation, long amount, long fee) {
        return new SettlementItem(id, payment, "mer_1", "acquirer-a", operation, amount, fee, "EUR", "nw_" + payment,
                Instant.EPOCH);
    }

    private static SettlementReportLine line(String reference, long amount, long fee) {
        return new SettlementReportLine(reference, "nw_" + reference, "mer_1", amount < 0 ? "refund" : "capture", amount, fee);
    }

    @Test
    void everyKindOfDiscrepancyIsFoundLineByLine() {
        List<SettlementItem> items = List.of(item("je_1", "pay_1", "capture", 10_000, 250), item("je_2", "pay_2", "capture", 5_000, 0),
                item("je_3", "pay_3", "capture", 2_000, 0), item("je_4", "pay_1", "refund", 1_000, 0),
                item("je_5", "pay_5", "capture", 700, 0));
        List<SettlementReportLine> lines = List.of(line("je_1", 10_000, 90), line("je_2", 5_001, 45), line("je_3", 2_000, 19),
                line("je_4", -1_000, 0), line("acq_x", 300, 3), line("je_1", 10_000, 90));

        List<ReconciliationRow> rows = Reconciliation.reconcile(items, lines, 90);

        assertThat(rows).extracting(ReconciliationRow::outcome).containsExactly(Outcome.MATCHED, Outcome.AMOUNT_MISMATCH,
                Outcome.FEE_MISMATCH, Outcome.MATCHED, Outcome.MISSING_IN_NIGHTJAR, Outcome.MISSING_IN_NIGHTJAR,
                Outcome.MISSING_AT_ACQUIRER);
        assertThat(rows).extracting(ReconciliationRow::lineNo).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(rows.get(2).expectedFeeMinor()).isEqualTo(18);
        assertThat(rows.get(2).reportedFeeMinor()).isEqualTo(19);
        assertThat(rows.get(3).expectedAmountMinor()).isEqualTo(-1_000);
        assertThat(rows.get(6).reference()).isEqualTo("je_5");
        assertThat(rows).allSatisfy(row -> assertThat(row.action() == null).isEqualTo(row.outcome() == Outcome.MATCHED));
    }

    @Test
    void postingClearsOnlyWhatTheAcquirerSettledAndPaysOutNoLessThanZero() {
        List<SettlementItem> items = List.of(item("je_1", "pay_1", "capture", 10_000, 250), item("je_2", "pay_2", "capture", 5_000, 100),
                item("je_3", "pay_3", "capture", 2_000, 50), item("je_4", "pay_4", "refund", 9_000, 0));
        List<SettlementReportLine> lines = List.of(line("je_1", 10_000, 90), line("je_2", 5_010, 45), line("je_4", -9_000, 0),
                line("acq_x", 400, 4));
        List<ReconciliationRow> rows = Reconciliation.reconcile(items, lines, 90);

        List<Posting.Event> events = Posting.events(new Posting.BatchOf("stl_1", "acquirer-a", "EUR", LocalDate.of(2026, 11, 24)),
                rows);

        assertThat(events).filteredOn(event -> EventType.MERCHANT_SETTLED.wire().equals(event.type())).singleElement()
                .satisfies(event -> {
                    assertThat(event.payload().clearedMinor()).isEqualTo(10_000 + 5_000 - 9_000);
                    assertThat(event.payload().reportedMinor()).isEqualTo(10_000 + 5_010 - 9_000 + 400);
                    assertThat(event.payload().acquirerFeeMinor()).isEqualTo(90 + 45 + 4);
                    // 9,750 + 4,900 - 9,000
                    assertThat(event.payload().payoutMinor()).isEqualTo(5_650);
                });
        assertThat(events).filteredOn(event -> EventType.PAYMENT_SETTLED.wire().equals(event.type()))
                .extracting(event -> event.payload().paymentId()).containsExactly("pay_1");

        List<ReconciliationRow> refundOnly = Reconciliation.reconcile(List.of(item("je_9", "pay_9", "refund", 500, 0)),
                List.of(line("je_9", -500, 0)), 90);
        assertThat(Posting.events(new Posting.BatchOf("stl_2", "acquirer-a", "EUR", LocalDate.of(2026, 11, 24)), refundOnly))
                .singleElement().satisfies(event -> {
                    assertThat(event.payload().clearedMinor()).isEqualTo(-500);
                    assertThat(event.payload().payoutMinor()).isZero();
                });
    }
}
