package dev.nightjar.common.audit;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /internal/v1/audit/verify}: walks the audit chain on an operator's demand. */
@RestController
public class AuditVerifyController {

    private final AuditChainVerifier verifier;

    public AuditVerifyController(AuditChainVerifier verifier) {
        this.verifier = verifier;
    }

    @GetMapping("/internal/v1/audit/verify")
    public AuditChainVerifier.Result verify() {
        return verifier.verify();
    }
}
