package dev.nightjar.acquirer;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchReceipt;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.money.Currencies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Settlement at the simulated acquirer: batches submitted for clearing, their reports, report faults, record imports. */
@RestController
class SettlementController {

    static final int MAX_IMPORT = 200_000;
    private static final Set<String> IMPORTABLE = Set.of(SimulatedNetwork.CAPTURE, SimulatedNetwork.SALE, SimulatedNetwork.REFUND);

    private final SettlementClearing clearing;
    private final ReportFaults reportFaults;
    private final SimulatedNetwork network;
    private final Faults faults;

    SettlementController(SettlementClearing clearing, ReportFaults reportFaults, SimulatedNetwork network, Faults faults) {
        this.clearing = clearing;
        this.reportFaults = reportFaults;
        this.network = network;
        this.faults = faults;
    }

    /** A batch for clearing; the same batch id answers the same receipt (an outage or error switch refuses it). */
    @PostMapping(AcquirerProtocol.SETTLEMENT_BATCHES)
    SettlementBatchReceipt submit(@RequestBody SettlementBatchRequest request) throws InterruptedException {
        Thread.sleep(faults.admit().delay());
        return clearing.submit(request);
    }

    @GetMapping(AcquirerProtocol.SETTLEMENT_BATCHES + "/{batchId}/report")
    SettlementReport report(@PathVariable String batchId) throws InterruptedException {
        Thread.sleep(faults.admit().delay());
        return clearing.report(batchId);
    }

    @GetMapping(AcquirerProtocol.REPORT_FAULTS)
    ReportFaults.Settings reportFaults() {
        return reportFaults.settings();
    }

    /** Every switch a request leaves out is off. */
    record ReportFaultsRequest(List<String> dropReferences, Map<String, Long> amountDelta, Map<String, Long> feeDelta,
                               List<ReportFaults.ExtraLine> extraLines, Double dropRate, Double amountDeltaRate) {
    }

    @PutMapping(AcquirerProtocol.REPORT_FAULTS)
    ReportFaults.Settings setReportFaults(@RequestBody ReportFaultsRequest request) {
        return reportFaults.set(new ReportFaults.Settings(request.dropReferences(), request.amountDelta(),
                request.feeDelta(), request.extraLines(), request.dropRate(), request.amountDeltaRate()));
    }

    @DeleteMapping(AcquirerProtocol.REPORT_FAULTS)
    ReportFaults.Settings resetReportFaults() {
        return reportFaults.reset();
    }

    /** One movement made outside the simulator; {@code authorization} is a sale's own network reference. */
    record RecordImport(String reference, String authorization, String operation, String merchantId, Long amountMinor,
                        String currency) {
    }

    record ImportResult(int received, int imported, int alreadyRecorded) {
    }

    /** Records approved captures, sales and refunds in bulk (seeding a settlement benchmark); a known reference is skipped. */
    @PostMapping(AcquirerProtocol.RECORDS)
    ImportResult importRecords(@RequestBody List<RecordImport> records) {
        if (records.size() > MAX_IMPORT) {
            throw ApiException.invalidParameter("records", "at most " + MAX_IMPORT + " records per request.");
        }
        List<SimulatedNetwork.ImportedRecord> valid = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            valid.add(validate(records.get(i), "[" + i + "]"));
        }
        int imported = network.importRecords(valid);
        return new ImportResult(records.size(), imported, records.size() - imported);
    }

    private static SimulatedNetwork.ImportedRecord validate(RecordImport record, String param) {
        if (record == null) {
            throw ApiException.missingParameter(param);
        }
        required(record.reference(), param + ".reference");
        required(record.authorization(), param + ".authorization");
        required(record.merchantId(), param + ".merchant_id");
        if (!IMPORTABLE.contains(record.operation())) {
            throw ApiException.invalidParameter(param + ".operation", "operation must be capture, sale or refund.");
        }
        if (record.amountMinor() == null || record.amountMinor() <= 0 || record.amountMinor() > ReportFaults.MAX_AMOUNT_MINOR) {
            throw ApiException.invalidParameter(param + ".amount_minor",
                    "amount_minor must be a positive whole number of minor units up to " + ReportFaults.MAX_AMOUNT_MINOR + ".");
        }
        if (record.currency() == null || !Currencies.isKnown(record.currency())) {
            throw ApiException.invalidParameter(param + ".currency", "currency must be an ISO 4217 code such as EUR.");
        }
        return new SimulatedNetwork.ImportedRecord(record.reference(), record.authorization(), record.operation(),
                record.merchantId(), record.amountMinor(), record.currency());
    }

    private static void required(String value, String param) {
        if (value == null || value.isBlank()) {
            throw ApiException.missingParameter(param);
        }
    }
}
