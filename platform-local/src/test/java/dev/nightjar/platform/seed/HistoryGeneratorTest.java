package dev.nightjar.platform.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.id.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryGeneratorTest {

    private static final Instant UNTIL = Instant.parse("2026-12-01T12:00:00.123Z");
    private static final SeedOptions OPTIONS = new SeedOptions(20_000, 7, 50, 6, UNTIL, 1_000);

    private static List<SeedPayment> payments(HistoryGenerator generator, int count) {
        List<SeedPayment> payments = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            payments.add(generator.payment(i));
        }
        return payments;
    }

    @Test
    void theSameSeedMakesTheSameHistoryAndAnotherSeedAnother() {
        HistoryGenerator one = new HistoryGenerator(OPTIONS, 2);
        HistoryGenerator again = new HistoryGenerator(OPTIONS, 2);
        HistoryGenerator other = new HistoryGenerator(new SeedOptions(20_000, 8, 50, 6, UNTIL, 1_000), 2);

        assertThat(payments(again, 200)).isEqualTo(payments(one, 200));
        assertThat(again.entries(17, again.payment(17))).isEqualTo(one.entries(17, one.payment(17)));
        assertThat(payments(other, 200)).doesNotContainAnyElementsOf(payments(one, 200));
        assertThat(other.merchants()).doesNotContainAnyElementsOf(one.merchants());
    }

    @Test
    void theMixIsMostlyCapturedOrSettledWithSomeRefundedDeclinedCanceledAndAuthorized() {
        Map<String, Integer> statuses = new HashMap<>();
        payments(new HistoryGenerator(OPTIONS, 2), 20_000).forEach(payment -> statuses.merge(payment.status(), 1, Integer::sum));

        assertThat(statuses.get("CAPTURED") + statuses.get("SETTLED")).isBetween(15_500, 17_500);
        assertThat(statuses.get("SETTLED")).isGreaterThan(10 * statuses.get("CAPTURED"));
        assertThat(statuses.get("REFUNDED")).isBetween(600, 1_100);
        assertThat(statuses.get("DECLINED")).isBetween(1_300, 1_900);
        assertThat(statuses.get("CANCELED")).isBetween(200, 500);
        assertThat(statuses.get("FAILED")).isBetween(50, 200);
        assertThat(statuses.get("AUTHORIZED")).isBetween(5, 200);
        assertThat(statuses).containsOnlyKeys("CAPTURED", "SETTLED", "REFUNDED", "DECLINED", "CANCELED", "FAILED", "AUTHORIZED");
    }

    @Test
    void everyIdCarriesItsRowsTimeAndEverythingHappensWithinTheHistory() {
        HistoryGenerator generator = new HistoryGenerator(OPTIONS, 2);
        for (int i = 0; i < 5_000; i++) {
            SeedPayment payment = generator.payment(i);
            assertThat(Ids.isValid(payment.id(), Ids.PAYMENT)).isTrue();
            assertThat(Ids.timestampOf(payment.id())).isEqualTo(payment.createdAt());
            assertThat(payment.createdAt()).isAfterOrEqualTo(OPTIONS.from());
            assertThat(payment.updatedAt()).isBefore(UNTIL).isAfterOrEqualTo(payment.createdAt());
            for (SeedRefund refund : payment.refunds()) {
                assertThat(Ids.timestampOf(refund.id())).isEqualTo(refund.createdAt()).isAfter(payment.createdAt());
            }
            for (SeedEntry entry : generator.entries(i, payment)) {
                assertThat(Ids.timestampOf(entry.id())).isEqualTo(entry.createdAt()).isBefore(UNTIL);
            }
        }
    }

    @Test
    void paymentsAreCreatedInIdOrderAndSpreadOverTheMonths() {
        HistoryGenerator generator = new HistoryGenerator(OPTIONS, 2);
        List<SeedPayment> payments = payments(generator, 20_000);
        for (int i = 1; i < payments.size(); i++) {
            assertThat(payments.get(i).createdAt()).isAfterOrEqualTo(payments.get(i - 1).createdAt());
        }
        assertThat(payments.get(0).createdAt()).isBefore(OPTIONS.from().plusSeconds(3_600));
        assertThat(payments.get(payments.size() - 1).createdAt()).isAfter(UNTIL.minusSeconds(3_600));
    }

    @Test
    void eachPaymentsEntriesBalanceAndBookExactlyItsCapturedRefundedAndHeldAmounts() {
        HistoryGenerator generator = new HistoryGenerator(OPTIONS, 2);
        for (int i = 0; i < 5_000; i++) {
            SeedPayment payment = generator.payment(i);
            Map<String, Long> byKind = new HashMap<>();
            long held = 0;
            for (SeedEntry entry : generator.entries(i, payment)) {
                assertThat(entry.postings().stream().mapToLong(SeedEntry.Posting::amountMinor).sum()).isZero();
                for (SeedEntry.Posting posting : entry.postings()) {
                    if (posting.account().startsWith("acquirer_receivable:")) {
                        byKind.merge(entry.kind(), posting.amountMinor(), Long::sum);
                    }
                    if (posting.account().startsWith("authorization_holds:")) {
                        held += posting.amountMinor();
                    }
                }
            }
            assertThat(byKind.getOrDefault("capture", 0L)).as(payment.id()).isEqualTo(payment.capturedMinor());
            assertThat(-byKind.getOrDefault("refund", 0L)).as(payment.id()).isEqualTo(payment.refundedMinor());
            assertThat(held).as(payment.id()).isEqualTo(payment.capturableMinor());
        }
    }

    @Test
    void settlementsClearTheAcquirerReceivableOfEverySettledDay() throws java.sql.SQLException {
        HistoryGenerator generator = new HistoryGenerator(OPTIONS, 2);
        Settlements settlements = new Settlements(OPTIONS.seed(), generator.latest());
        Map<String, Long> receivable = new HashMap<>();
        for (int i = 0; i < 5_000; i++) {
            SeedPayment payment = generator.payment(i);
            settlements.add(payment);
            for (SeedEntry entry : generator.entries(i, payment)) {
                entry.postings().forEach(posting -> receivable.merge(posting.account(), posting.amountMinor(), Long::sum));
            }
        }
        settlements.entries(batch -> batch.forEach(entry -> entry.postings()
                .forEach(posting -> receivable.merge(posting.account(), posting.amountMinor(), Long::sum))));
        long unsettled = 0;
        for (int i = 0; i < 5_000; i++) {
            SeedPayment payment = generator.payment(i);
            for (SeedPayment.Event event : payment.events()) {
                boolean settled = Settlements.settled(OPTIONS.seed(), Settlements.dayOf(event.at()), generator.latest());
                if (!settled && event.type() == EventType.PAYMENT_CAPTURED) {
                    unsettled += event.changeAmountMinor();
                }
                if (!settled && event.type() == EventType.REFUND_SUCCEEDED) {
                    unsettled -= event.changeAmountMinor();
                }
            }
        }
        long stillReceivable = receivable.entrySet().stream().filter(account -> account.getKey().startsWith("acquirer_receivable:"))
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(stillReceivable).isEqualTo(unsettled);
        assertThat(receivable.values().stream().mapToLong(Long::longValue).sum()).isZero();
    }

    @Test
    void noCardNumberIsEverMadeOnlyTheVaultsDescriptionOfACard() {
        HistoryGenerator generator = new HistoryGenerator(OPTIONS, 2);
        for (int i = 0; i < 2_000; i++) {
            SeedPayment payment = generator.payment(i);
            assertThat(payment.toString()).doesNotContainPattern("\\d{13,19}");
            assertThat(payment.token()).startsWith("tok_");
            assertThat(payment.card().bin()).hasSize(6);
            assertThat(payment.card().last4()).hasSize(4);
        }
    }

    @Test
    void anUnbalancedEntryCannotBeMade() {
        assertThatThrownBy(() -> new SeedEntry("je_1", UNTIL, "mer_1", "capture", "pay_1", "evt_1", "d", null, null, "EUR", 1, 0,
                List.of(SeedEntry.Posting.of("cash", "nightjar", "EUR", 100),
                        SeedEntry.Posting.of("merchant_payable", "mer_1", "EUR", -99))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unbalanced");
    }
}
