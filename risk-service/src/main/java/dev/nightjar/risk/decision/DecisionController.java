package dev.nightjar.risk.decision;

import dev.nightjar.common.batch.BatchWriter;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.contract.RiskContract;
import dev.nightjar.contracts.contract.RiskContract.Decision;
import dev.nightjar.contracts.contract.RiskContract.DecisionRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The synchronous decision asked for before every authorization. */
@RestController
class DecisionController {

    private final RiskEngine engine;
    private final BatchWriter<DecisionLog.LoggedDecision> log;
    private final Timer latency;

    DecisionController(RiskEngine engine, BatchWriter<DecisionLog.LoggedDecision> log, MeterRegistry meters) {
        this.engine = engine;
        this.log = log;
        // buckets at the risk SLO (50 ms for 99 %) and around it, so the SLO is read from the histogram itself
        this.latency = Timer.builder("nightjar.risk.decision")
                .description("Time to reach a risk decision inside risk-service")
                .publishPercentileHistogram()
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100))
                .register(meters);
    }

    @PostMapping(RiskContract.DECISIONS)
    Decision decide(@RequestBody DecisionRequest request) {
        if (request.paymentId() == null || request.merchantId() == null) {
            throw ApiException.missingParameter(request.paymentId() == null ? "payment_id" : "merchant_id");
        }
        long start = System.nanoTime();
        Decision decision = engine.decide(request);
        latency.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        log.submit(new DecisionLog.LoggedDecision(request, decision));
        return decision;
    }
}
