package dev.nightjar.gateway.merchant;

import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.security.CallerAuthorizationFilter;
import dev.nightjar.common.text.FreeText;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.gateway.api.MerchantRequests;
import dev.nightjar.gateway.limit.RateLimits;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator API (client certificate of the operator required, by the call graph). */
@RestController
class OperatorController {

    private final Merchants merchants;
    private final AuditLog audit;
    private final RateLimits limits;

    OperatorController(Merchants merchants, AuditLog audit, RateLimits limits) {
        this.merchants = merchants;
        this.audit = audit;
        this.limits = limits;
    }

    record RateLimit(Integer perSecond, Integer burst) {
    }

    /** Sets a merchant's own rate limit (burst defaults to twice the rate); audited. */
    @PutMapping("/internal/v1/merchants/{merchantId}/rate_limit")
    RateLimit setRateLimit(@PathVariable String merchantId, @RequestBody RateLimit request,
                           @RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        if (request.perSecond() == null || request.perSecond() < 1 || request.perSecond() > 100_000) {
            throw ApiException.invalidParameter("per_second", "per_second must be from 1 to 100000.");
        }
        int burst = request.burst() == null ? request.perSecond() * 2 : request.burst();
        if (burst < 1 || burst > 1_000_000) {
            throw ApiException.invalidParameter("burst", "burst must be from 1 to 1000000.");
        }
        return changeRateLimit(merchantId, new RateLimits.Limit(request.perSecond(), burst), caller);
    }

    /** Back to the gateway's defaults; audited. */
    @DeleteMapping("/internal/v1/merchants/{merchantId}/rate_limit")
    RateLimit clearRateLimit(@PathVariable String merchantId,
                             @RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        return changeRateLimit(merchantId, null, caller);
    }

    private RateLimit changeRateLimit(String merchantId, RateLimits.Limit limit, String caller) {
        RateLimits.Limit applied = limits.set(requireMerchantId(merchantId), limit);
        if (applied == null) {
            throw ApiException.notFound("merchant", merchantId);
        }
        audit.record(new AuditRecord(caller, "merchant.rate_limit", merchantId, merchantId,
                Json.MAPPER.writeValueAsString(java.util.Map.of("per_second", applied.perSecond(), "burst", applied.burst()))));
        return new RateLimit(applied.perSecond(), applied.burst());
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
        // the name is stored and shown: refused, not cleaned, when it holds a control character or a card number
        FreeText.Problem problem = FreeText.problem(request.name(), FreeText.Lines.SINGLE);
        if (problem != null) {
            throw ApiException.invalidParameter("name", "name " + problem.message() + ".");
        }
        Merchants.CreatedMerchant created = merchants.create(request.name().strip());
        audit.record(new AuditRecord(caller, "merchant.create", created.merchantId(), created.merchantId(),
                Json.MAPPER.writeValueAsString(java.util.Map.of("client_id", created.clientId()))));
        return created;
    }

    @GetMapping("/internal/v1/merchants/{merchantId}")
    Merchants.Merchant get(@PathVariable String merchantId) {
        return merchants.find(requireMerchantId(merchantId)).orElseThrow(() -> ApiException.notFound("merchant", merchantId));
    }

    /** A merchant id from a path, or a 404 that does not repeat what was sent in its place. */
    private static String requireMerchantId(String merchantId) {
        return MerchantRequests.requireId(merchantId, Ids.MERCHANT, "merchant");
    }
}
