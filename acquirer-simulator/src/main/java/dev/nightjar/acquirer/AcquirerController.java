package dev.nightjar.acquirer;

import dev.nightjar.contracts.contract.AcquirerProtocol;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.contracts.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.contracts.contract.AcquirerProtocol.TestCard;
import dev.nightjar.contracts.contract.AcquirerProtocol.VoidRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The simulated acquirer's HTTP face: authorizations, captures, voids, refunds, its test cards, and its records for operators. */
@RestController
class AcquirerController {

    private final SimulatedNetwork network;
    private final SimulatorProperties properties;
    private final Faults faults;

    AcquirerController(SimulatedNetwork network, SimulatorProperties properties, Faults faults) {
        this.network = network;
        this.properties = properties;
        this.faults = faults;
    }

    @PostMapping(AcquirerProtocol.AUTHORIZATIONS)
    AuthorizationResponse authorize(@RequestBody AuthorizationRequest request) throws InterruptedException {
        Faults.Plan plan = faults.admit();
        long started = System.nanoTime();
        SimulatedNetwork.Decision decision = network.authorize(request);
        sleepRestOf(plan.delay(), started);
        if (decision.delayed() || plan.hang()) {
            Thread.sleep(properties.timeoutCardDelay());
        }
        return decision.response();
    }

    /**
     * Waits out what is left of the simulated latency after the network acted: the time its journal took to
     * reach the disk is part of its answer time, as it is for a real network, not added to it.
     */
    private static void sleepRestOf(Duration latency, long startedNanos) throws InterruptedException {
        Duration rest = latency.minusNanos(System.nanoTime() - startedNanos);
        if (rest.isPositive()) {
            Thread.sleep(rest);
        }
    }

    @PostMapping(AcquirerProtocol.CAPTURES)
    OperationResponse capture(@RequestBody CaptureRequest request) throws InterruptedException {
        return faulty(() -> network.capture(request));
    }

    @PostMapping(AcquirerProtocol.VOIDS)
    OperationResponse voidAuthorization(@RequestBody VoidRequest request) throws InterruptedException {
        return faulty(() -> network.voidAuthorization(request));
    }

    @PostMapping(AcquirerProtocol.REFUNDS)
    OperationResponse refund(@RequestBody RefundRequest request) throws InterruptedException {
        return faulty(() -> network.refund(request));
    }

    private OperationResponse faulty(java.util.function.Supplier<OperationResponse> operation) throws InterruptedException {
        Faults.Plan plan = faults.admit();
        long started = System.nanoTime();
        OperationResponse response = operation.get();
        sleepRestOf(plan.delay(), started);
        if (plan.hang()) {
            Thread.sleep(properties.timeoutCardDelay());
        }
        return response;
    }

    /** The day's settlement report (UTC date, default today), as the acquirer would send it. */
    @GetMapping("/v1/settlement-reports/{day}")
    Map<String, Object> settlementReport(@PathVariable String day) {
        java.time.LocalDate date;
        try {
            date = java.time.LocalDate.parse(day);
        } catch (java.time.format.DateTimeParseException e) {
            throw dev.nightjar.common.error.ApiException.invalidParameter("day", "day must be a date such as 2026-11-24.");
        }
        List<SimulatedNetwork.SettlementLine> lines = network.settlementReport(date, properties.feeBasisPoints());
        Map<String, Object> report = new java.util.LinkedHashMap<>();
        report.put("acquirer", properties.name());
        report.put("day", date.toString());
        report.put("lines", lines);
        return report;
    }

    /** The fault switches: {@code GET} shows them, {@code PUT} sets them all, {@code DELETE} restores the defaults. */
    @GetMapping(FAULTS)
    Faults.Settings faults() {
        return faults.settings();
    }

    /** Every switch a request leaves out takes its default. */
    record FaultsRequest(Double errorRate, Double timeoutRate, Boolean outage, Long latencyMedianMs, Long latencyP99Ms,
                         Long extraLatencyMs) {
    }

    @PutMapping(FAULTS)
    Faults.Settings setFaults(@RequestBody FaultsRequest request) {
        Faults.Settings defaults = faults.defaults();
        return faults.set(new Faults.Settings(
                request.errorRate() == null ? defaults.errorRate() : request.errorRate(),
                request.timeoutRate() == null ? defaults.timeoutRate() : request.timeoutRate(),
                request.outage() == null ? defaults.outage() : request.outage(),
                request.latencyMedianMs() == null ? defaults.latencyMedianMs() : request.latencyMedianMs(),
                request.latencyP99Ms() == null ? Math.max(defaults.latencyP99Ms(),
                        request.latencyMedianMs() == null ? 0 : request.latencyMedianMs()) : request.latencyP99Ms(),
                request.extraLatencyMs() == null ? defaults.extraLatencyMs() : request.extraLatencyMs()));
    }

    @DeleteMapping(FAULTS)
    Faults.Settings resetFaults() {
        return faults.reset();
    }

    static final String FAULTS = "/admin/faults";

    @GetMapping(AcquirerProtocol.TEST_CARDS)
    List<TestCard> testCards() {
        return TestCards.all();
    }

    @GetMapping(AcquirerProtocol.RECORDS)
    List<NetworkRecord> records(@RequestParam(required = false) String reference,
                                @RequestParam(name = "merchant_id", required = false) String merchantId,
                                @RequestParam(defaultValue = "1000") int limit) {
        return network.records(reference, merchantId, Math.max(1, Math.min(limit, 100_000)));
    }
}
