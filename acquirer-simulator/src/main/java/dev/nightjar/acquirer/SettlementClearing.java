package dev.nightjar.acquirer;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchLine;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchReceipt;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementBatchRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.SettlementReport;
import dev.nightjar.contracts.money.Currencies;
import java.util.HashSet;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * Settlement batches submitted to this acquirer and the report it makes of each: built once, when the
 * batch first arrives (clearing its lines against the network's records, then applying the report faults
 * switched on at that moment), and answered the same for every resubmission and every fetch. The network
 * keeps the batches with its records, in its journal when it has one, so a restart changes no answer.
 */
@Component
final class SettlementClearing {

    static final int MAX_LINES = 200_000;
    static final int MAX_ID_LENGTH = 100;

    private final SimulatedNetwork network;
    private final ReportFaults faults;
    private final SimulatorProperties properties;

    SettlementClearing(SimulatedNetwork network, ReportFaults faults, SimulatorProperties properties) {
        this.network = network;
        this.faults = faults;
        this.properties = properties;
    }

    /** Takes a batch (the first time) and answers its receipt; a batch id seen before gets its first receipt. */
    SettlementBatchReceipt submit(SettlementBatchRequest request) {
        validate(request);
        return network.clear(request, lines -> faults.apply(lines, properties.feeBasisPoints()));
    }

    SettlementReport report(String batchId) {
        return network.batchReport(batchId);
    }

    private static void validate(SettlementBatchRequest request) {
        if (request.batchId() == null || request.batchId().isBlank()) {
            throw ApiException.missingParameter("batch_id");
        }
        if (request.batchId().length() > MAX_ID_LENGTH) {
            throw ApiException.invalidParameter("batch_id", "batch_id is at most " + MAX_ID_LENGTH + " characters.");
        }
        if (request.currency() == null || !Currencies.isKnown(request.currency())) {
            throw ApiException.invalidParameter("currency", "currency must be an ISO 4217 code such as EUR.");
        }
        if (request.lines() == null) {
            throw ApiException.missingParameter("lines");
        }
        if (request.lines().size() > MAX_LINES) {
            throw ApiException.invalidParameter("lines", "a batch has at most " + MAX_LINES + " lines.");
        }
        Set<String> references = new HashSet<>(request.lines().size() * 2);
        for (int i = 0; i < request.lines().size(); i++) {
            SettlementBatchLine line = request.lines().get(i);
            String param = "lines[" + i + "]";
            if (line == null || line.reference() == null || line.reference().isBlank()) {
                throw ApiException.missingParameter(param + ".reference");
            }
            if (!references.add(line.reference())) {
                throw ApiException.invalidParameter(param + ".reference",
                        "reference " + line.reference() + " appears twice in the batch.");
            }
            if (!AcquirerProtocol.CAPTURE.equals(line.operation()) && !AcquirerProtocol.REFUND.equals(line.operation())) {
                throw ApiException.invalidParameter(param + ".operation", "operation must be capture or refund.");
            }
            if (line.amountMinor() <= 0) {
                throw ApiException.invalidParameter(param + ".amount_minor", "amount_minor must be positive.");
            }
        }
    }
}
