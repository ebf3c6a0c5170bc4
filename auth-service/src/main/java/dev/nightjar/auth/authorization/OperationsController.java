package dev.nightjar.auth.authorization;

import dev.nightjar.contracts.contract.AuthContract;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeRequest;
import dev.nightjar.contracts.contract.AuthContract.AuthorizeResponse;
import dev.nightjar.contracts.contract.AuthContract.CaptureRequest;
import dev.nightjar.contracts.contract.AuthContract.OperationResponse;
import dev.nightjar.contracts.contract.AuthContract.RefundRequest;
import dev.nightjar.contracts.contract.AuthContract.VoidRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Acquirer operations for transaction-service. */
@RestController
class OperationsController {

    private final AcquirerOperations operations;

    OperationsController(AcquirerOperations operations) {
        this.operations = operations;
    }

    @PostMapping(AuthContract.AUTHORIZATIONS)
    AuthorizeResponse authorize(@RequestBody AuthorizeRequest request) {
        return operations.authorize(request);
    }

    @PostMapping(AuthContract.CAPTURES)
    OperationResponse capture(@RequestBody CaptureRequest request) {
        return operations.capture(request);
    }

    @PostMapping(AuthContract.VOIDS)
    OperationResponse voidAuthorization(@RequestBody VoidRequest request) {
        return operations.voidAuthorization(request);
    }

    @PostMapping(AuthContract.REFUNDS)
    OperationResponse refund(@RequestBody RefundRequest request) {
        return operations.refund(request);
    }
}
