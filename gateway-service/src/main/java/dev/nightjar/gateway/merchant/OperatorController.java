package dev.nightjar.gateway.merchant;

import dev.nightjar.common.error.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The operator API (client certificate of the operator required, by the call graph). */
@RestController
class OperatorController {

    private final Merchants merchants;

    OperatorController(Merchants merchants) {
        this.merchants = merchants;
    }

    record CreateMerchant(String name) {
    }

    @PostMapping("/internal/v1/merchants")
    @ResponseStatus(HttpStatus.CREATED)
    Merchants.CreatedMerchant create(@RequestBody CreateMerchant request) {
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            throw ApiException.invalidParameter("name", "name must be 1 to 200 characters.");
        }
        return merchants.create(request.name().strip());
    }

    @GetMapping("/internal/v1/merchants/{merchantId}")
    Merchants.Merchant get(@PathVariable String merchantId) {
        return merchants.find(merchantId).orElseThrow(() -> ApiException.notFound("merchant", merchantId));
    }
}
