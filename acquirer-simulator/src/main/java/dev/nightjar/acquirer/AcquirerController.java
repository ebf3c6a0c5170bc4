package dev.nightjar.acquirer;

import dev.nightjar.common.contract.AcquirerProtocol;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.common.contract.AcquirerProtocol.AuthorizationResponse;
import dev.nightjar.common.contract.AcquirerProtocol.CaptureRequest;
import dev.nightjar.common.contract.AcquirerProtocol.OperationResponse;
import dev.nightjar.common.contract.AcquirerProtocol.RefundRequest;
import dev.nightjar.common.contract.AcquirerProtocol.TestCard;
import dev.nightjar.common.contract.AcquirerProtocol.VoidRequest;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The simulated acquirer's HTTP face: authorizations, captures, voids, refunds, its test cards, and its records for operators. */
@RestController
class AcquirerController {

    private final SimulatedNetwork network;
    private final SimulatorProperties properties;

    AcquirerController(SimulatedNetwork network, SimulatorProperties properties) {
        this.network = network;
        this.properties = properties;
    }

    @PostMapping(AcquirerProtocol.AUTHORIZATIONS)
    AuthorizationResponse authorize(@RequestBody AuthorizationRequest request) throws InterruptedException {
        SimulatedNetwork.Decision decision = network.authorize(request);
        if (decision.delayed()) {
            Thread.sleep(properties.timeoutCardDelay());
        }
        return decision.response();
    }

    @PostMapping(AcquirerProtocol.CAPTURES)
    OperationResponse capture(@RequestBody CaptureRequest request) {
        return network.capture(request);
    }

    @PostMapping(AcquirerProtocol.VOIDS)
    OperationResponse voidAuthorization(@RequestBody VoidRequest request) {
        return network.voidAuthorization(request);
    }

    @PostMapping(AcquirerProtocol.REFUNDS)
    OperationResponse refund(@RequestBody RefundRequest request) {
        return network.refund(request);
    }

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
