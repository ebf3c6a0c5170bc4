package dev.nightjar.acquirer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.acquirer.journal.JournalException;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.contract.AcquirerProtocol.VoidRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/** The network on a journal: what it did, and what it owes settlement, is the same after a restart. */
class NetworkJournalTest {

    private static final String APPROVED_CARD = "4242424242424242";

    @TempDir
    Path dir;

    private SimulatedNetwork start(int maxRecords, DataSize segment) {
        return new SimulatedNetwork(new SimulatorProperties("acquirer-a", Duration.ofMillis(1), maxRecords, Duration.ZERO,
                Duration.ZERO, 90, dir, segment));
    }

    private SimulatedNetwork start() {
        return start(1_000_000, DataSize.ofMegabytes(64));
    }

    private static AuthorizationRequest authorization(String reference, String card, long amount, boolean capture) {
        return new AuthorizationRequest(reference, "mer_journal", amount, "EUR", card, 12, 2030, "123", capture);
    }

    private static List<NetworkRecord> all(SimulatedNetwork network) {
        return network.records(null, null, 100_000);
    }

    @Test
    void everyRecordAndEveryHoldIsTheSameAfterARestart() {
        List<NetworkRecord> before;
        String held;
        String sold;
        String voided;
        List<Object> answers = new ArrayList<>();
        try (SimulatedNetwork network = start()) {
            held = network.authorize(authorization("auth-1", APPROVED_CARD, 5_000, false)).response().networkReference();
            sold = network.authorize(authorization("sale-1", APPROVED_CARD, 3_000, true)).response().networkReference();
            voided = network.authorize(authorization("auth-2", APPROVED_CARD, 700, false)).response().networkReference();
            answers.add(network.authorize(authorization("declined-1", "4000000000009995", 100, true)).response());
            answers.add(network.authorize(authorization("timeout-1", "4000000000000259", 200, true)).response());
            answers.add(network.capture(new CaptureRequest("cap-1", held, 4_000, "EUR")));
            answers.add(network.voidAuthorization(new VoidRequest("void-1", voided)));
            answers.add(network.refund(new RefundRequest("ref-1", sold, 1_000, "EUR")));
            assertThat(network.importRecords(List.of(new SimulatedNetwork.ImportedRecord("imp-1", "nw_outside", "capture",
                    "mer_journal", 900, "EUR")))).isEqualTo(1);
            before = all(network);
        }
        try (SimulatedNetwork network = start()) {
            assertThat(all(network)).as("the same records, in the same order, none twice").isEqualTo(before).hasSize(9);
            // the same references answer the same: inquiries, and repeats that move no money
            assertThat(network.authorize(authorization("declined-1", "4000000000009995", 100, true)).response()).isEqualTo(answers.get(0));
            SimulatedNetwork.Decision inquiry = network.authorize(authorization("timeout-1", "4000000000000259", 200, true));
            assertThat(inquiry.response()).isEqualTo(answers.get(1));
            assertThat(inquiry.delayed()).as("an inquiry is answered at once").isFalse();
            assertThat(network.capture(new CaptureRequest("cap-1", held, 4_000, "EUR"))).isEqualTo(answers.get(2));
            assertThat(network.voidAuthorization(new VoidRequest("void-1", voided))).isEqualTo(answers.get(3));
            assertThat(network.refund(new RefundRequest("ref-1", sold, 1_000, "EUR"))).isEqualTo(answers.get(4));
            assertThat(all(network)).as("repeats record nothing").hasSize(9);
            // the holds remember what was captured, refunded and voided
            assertThat(network.capture(new CaptureRequest("cap-2", held, 100, "EUR")).declineCode()).isEqualTo("already_captured");
            assertThat(network.capture(new CaptureRequest("cap-3", voided, 100, "EUR")).declineCode()).isEqualTo("authorization_voided");
            assertThat(network.refund(new RefundRequest("ref-2", sold, 2_001, "EUR")).declineCode()).isEqualTo("amount_exceeds_captured");
            assertThat(network.refund(new RefundRequest("ref-3", sold, 2_000, "EUR")).outcome()).isEqualTo(dev.nightjar.contracts.contract.NetworkAnswer.APPROVED);
            assertThat(network.refund(new RefundRequest("ref-4", held, 4_001, "EUR")).declineCode()).isEqualTo("amount_exceeds_captured");
        }
    }

    @Test
    void aBatchsReportAndTheRecordsItTookAreTheSameAfterARestart() {
        SettlementReport report;
        String sale;
        String other;
        try (SimulatedNetwork network = start()) {
            sale = network.authorize(authorization("sale-a", APPROVED_CARD, 10_000, true)).response().networkReference();
            other = network.authorize(authorization("sale-b", APPROVED_CARD, 2_000, true)).response().networkReference();
            network.refund(new RefundRequest("refund-a", sale, 2_500, "EUR"));
            network.clear(new SettlementBatchRequest("stl_1", "EUR", List.of(
                    new SettlementBatchLine("je_1", "pay_a", "mer_journal", sale, "capture", 10_000),
                    new SettlementBatchLine("je_2", "pay_a", "mer_journal", sale, "refund", 2_500))), lines -> lines);
            report = network.batchReport("stl_1");
            assertThat(report.lines()).hasSize(2);
        }
        try (SimulatedNetwork network = start()) {
            assertThat(network.batchReport("stl_1")).isEqualTo(report);
            assertThat(network.clear(new SettlementBatchRequest("stl_1", "EUR", List.of()), lines -> List.of()).lines())
                    .as("a resubmission gets the first receipt").isEqualTo(2);
            network.clear(new SettlementBatchRequest("stl_2", "EUR", List.of(
                    new SettlementBatchLine("je_1b", "pay_a", "mer_journal", sale, "capture", 10_000),
                    new SettlementBatchLine("je_3", "pay_b", "mer_journal", other, "capture", 2_000))), lines -> lines);
            assertThat(network.batchReport("stl_2").lines()).as("what stl_1 took settles no second time; the rest does")
                    .singleElement().satisfies(line -> assertThat(line.reference()).isEqualTo("je_3"));
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            assertThat(network.settlementReport(LocalDate.parse(today), 90)).extracting(SimulatedNetwork.SettlementLine::reference)
                    .containsExactly("sale-a", "sale-b", "refund-a");
        }
    }

    @Test
    void theRecordBoundHoldsAcrossCompactionsAndRestarts() throws IOException {
        List<NetworkRecord> before;
        try (SimulatedNetwork network = start(50, DataSize.ofKilobytes(64))) {
            for (int batch = 0; batch < 60; batch++) {
                network.importRecords(captures("imp-" + batch, 100));
            }
            for (int i = 0; i < 60; i++) {
                network.authorize(authorization("auth-" + i, APPROVED_CARD, 100, false));
            }
            before = all(network);
            // 50 records, and the newest 50 captures no batch has taken, set aside past the bound
            assertThat(before).hasSize(100).extracting(NetworkRecord::reference)
                    .startsWith("imp-59-50").contains("imp-59-99", "auth-10", "auth-59").doesNotContain("imp-59-49", "auth-9");
            assertThat(before.get(50).reference()).isEqualTo("auth-10");
        }
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(file -> file.toFile().length()).sum();
        }
        // a snapshot of 100 records and their holds, and a segment of at most 4 x 64 KB
        assertThat(bytes).as("6,060 records of about 330 bytes each would be 2 MB").isLessThan(5 * 128 * 1024);
        try (SimulatedNetwork network = start(50, DataSize.ofKilobytes(64))) {
            assertThat(all(network)).isEqualTo(before);
            assertThat(network.capture(new CaptureRequest("cap-old", before.get(50).networkReference(), 100, "EUR")).outcome())
                    .isEqualTo(dev.nightjar.contracts.contract.NetworkAnswer.APPROVED);
        }
    }

    @Test
    void aCaptureNoBatchHasTakenOutlivesTheRecordBoundUntilOneDoes() {
        try (SimulatedNetwork network = start(50, DataSize.ofKilobytes(64))) {
            network.importRecords(captures("owed", 40));
            // 600 authorizations (about 200 KB of journal, so snapshots too) push the captures far past the bound
            for (int i = 0; i < 600; i++) {
                network.authorize(authorization("auth-" + i, APPROVED_CARD, 100, false));
            }
            assertThat(all(network)).as("the 40 captures set aside, then the newest 50 records").hasSize(90)
                    .extracting(NetworkRecord::reference).startsWith("owed-0").contains("owed-39", "auth-550", "auth-599");
        }
        try (SimulatedNetwork network = start(50, DataSize.ofKilobytes(64))) {
            assertThat(all(network)).as("set aside across a restart").hasSize(90);
            assertThat(network.records("owed-7", null, 10)).as("and found by reference").hasSize(1);
            network.clear(batchOf("stl_owed", "owed", 0, 40), lines -> lines);
            assertThat(network.batchReport("stl_owed").lines()).as("every capture settles, none missing at the acquirer")
                    .hasSize(40);
            assertThat(all(network)).as("once settled, the captures past the bound are forgotten").hasSize(50)
                    .extracting(NetworkRecord::reference).doesNotContain("owed-0");
        }
        try (SimulatedNetwork network = start(50, DataSize.ofKilobytes(64))) {
            assertThat(all(network)).hasSize(50);
            network.clear(batchOf("stl_again", "owed", 0, 40), lines -> lines);
            assertThat(network.batchReport("stl_again").lines()).as("what settled settles no second time").isEmpty();
        }
    }

    private static List<SimulatedNetwork.ImportedRecord> captures(String prefix, int count) {
        List<SimulatedNetwork.ImportedRecord> records = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            records.add(new SimulatedNetwork.ImportedRecord(prefix + "-" + i, "nw_" + prefix + "_" + i, "capture", "mer_bound",
                    100, "EUR"));
        }
        return records;
    }

    private static SettlementBatchRequest batchOf(String batchId, String prefix, int from, int count) {
        List<SettlementBatchLine> lines = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            lines.add(new SettlementBatchLine("je-" + prefix + "-" + i, "pay_" + i, "mer_bound", "nw_" + prefix + "_" + i,
                    "capture", 100));
        }
        return new SettlementBatchRequest(batchId, "EUR", lines);
    }

    @Test
    void oldBatchesAreForgottenOnceTheirLinesOutnumberTheRecordBound() {
        try (SimulatedNetwork network = start(50, DataSize.ofMegabytes(64))) {
            network.importRecords(captures("first", 40));
            network.clear(batchOf("stl_a", "first", 0, 20), lines -> lines);
            network.clear(batchOf("stl_b", "first", 20, 20), lines -> lines);
            network.importRecords(captures("second", 40));
            network.clear(batchOf("stl_c", "second", 0, 20), lines -> lines);
        }
        try (SimulatedNetwork network = start(50, DataSize.ofMegabytes(64))) {
            assertThatThrownBy(() -> network.batchReport("stl_a")).as("60 lines kept for 50 records: the oldest batch goes")
                    .isInstanceOf(ApiException.class);
            assertThat(network.batchReport("stl_b").lines()).hasSize(20);
            assertThat(network.batchReport("stl_c").lines()).hasSize(20);
            network.clear(batchOf("stl_d", "second", 0, 20), lines -> lines);
            assertThat(network.batchReport("stl_d").lines()).as("what stl_c took stays taken").isEmpty();
        }
    }

    @Test
    void concurrentRequestsAreJournaledInTheOrderTheNetworkKeptThem() throws Exception {
        List<NetworkRecord> before;
        try (SimulatedNetwork network = start()) {
            Parallel.run(8, thread -> {
                for (int i = 0; i < 10; i++) {
                    String reference = "t" + thread + "-" + i;
                    String held = network.authorize(authorization(reference, APPROVED_CARD, 1_000, false))
                            .response().networkReference();
                    OperationResponse captured = network.capture(new CaptureRequest(reference + "-cap", held, 1_000, "EUR"));
                    assertThat(captured.outcome()).isEqualTo(dev.nightjar.contracts.contract.NetworkAnswer.APPROVED);
                    network.refund(new RefundRequest(reference + "-ref", held, 400, "EUR"));
                    // a repeat moves nothing and records nothing
                    assertThat(network.capture(new CaptureRequest(reference + "-cap", held, 1_000, "EUR"))).isEqualTo(captured);
                }
            });
            before = all(network);
            assertThat(before).hasSize(8 * 10 * 3);
        }
        try (SimulatedNetwork network = start()) {
            assertThat(all(network)).isEqualTo(before);
        }
    }

    @Test
    void aJournalThatCannotBeReadStopsTheStart() throws IOException {
        try (SimulatedNetwork network = start()) {
            network.authorize(authorization("auth-1", APPROVED_CARD, 100, false));
            network.authorize(authorization("auth-2", APPROVED_CARD, 100, false));
        }
        Path segment;
        try (Stream<Path> files = Files.list(dir)) {
            segment = files.filter(file -> file.getFileName().toString().startsWith("journal-")).findFirst().orElseThrow();
        }
        Files.writeString(segment, Files.readString(segment).replace("auth-1", "auth-X"));
        assertThatThrownBy(this::start).isInstanceOf(JournalException.class);
    }

    @Test
    void withoutADataDirectoryTheRecordsLiveInMemoryAndAreForgottenAtExit() {
        SimulatorProperties inMemory = new SimulatorProperties("acquirer-a", Duration.ofMillis(1), 10, Duration.ZERO,
                Duration.ZERO, 90, null, DataSize.ofMegabytes(64));
        try (SimulatedNetwork network = new SimulatedNetwork(inMemory)) {
            network.authorize(authorization("auth-1", APPROVED_CARD, 100, false));
            assertThat(all(network)).hasSize(1);
        }
        try (SimulatedNetwork network = new SimulatedNetwork(inMemory)) {
            assertThat(all(network)).isEmpty();
            assertThatThrownBy(() -> network.batchReport("stl_none")).isInstanceOf(ApiException.class);
        }
    }
}
