package dev.nightjar.gateway.merchant;

import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.json.Json;
import dev.nightjar.common.security.CallerAuthorizationFilter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator API (client certificate of the operator required, by the call graph). */
@RestController
class OperatorController {

    private final Merchants merchants;
    private final AuditLog audit;

    OperatorController(Merchants merchants, AuditLog audit) {
        this.merchants = merchants;
        this.audit = audit;
    }

    record CreateMerchant(String name) {
    }

    @PostMapping("/internal/v1/merchants")
    @ResponseStatus(HttpStatus.CREATED)
    Merchants.CreatedMerchant create(@RequestBody CreateMerchant request,
                                     @RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            throw ApiException.invalidParameter("name", "name must be 1 to 200 characters.");
        }
        Merchants.CreatedMerchant created = merchants.create(request.name().strip());
        audit.record(new AuditRecord(caller, "merchant.create", created.merchantId(), created.merchantId(),
                Json.MAPPER.writeValueAsString(java.util.Map.of("client_id", created.clientId()))));
        return created;
    }

    @GetMapping("/internal/v1/merchants/{merchantId}")
    Merchants.Merchant get(@PathVariable String merchantId) {
        return merchants.find(merchantId).orElseThrow(() -> ApiException.notFound("merchant", merchantId));
    }
}
