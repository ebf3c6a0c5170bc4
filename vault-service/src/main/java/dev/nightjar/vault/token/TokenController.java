package dev.nightjar.vault.token;

import dev.nightjar.common.security.CallerAuthorizationFilter;
import dev.nightjar.contracts.contract.VaultContract;
import dev.nightjar.contracts.contract.VaultContract.DetokenizeRequest;
import dev.nightjar.contracts.contract.VaultContract.DetokenizeResponse;
import dev.nightjar.contracts.contract.VaultContract.TokenResponse;
import dev.nightjar.contracts.contract.VaultContract.TokenizeRequest;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The vault's internal API. Which caller may use which path is the call graph's business (only auth-service detokenizes). */
@RestController
class TokenController {

    private final TokenService tokens;
    private final VaultOperations operations;

    TokenController(TokenService tokens, MeterRegistry meters) {
        this.tokens = tokens;
        this.operations = new VaultOperations(meters);
    }

    @PostMapping(VaultContract.TOKENS)
    @ResponseStatus(HttpStatus.CREATED)
    TokenResponse tokenize(@RequestBody TokenizeRequest request) {
        return operations.timed("tokenize", () -> tokens.tokenize(request));
    }

    @GetMapping(VaultContract.TOKEN)
    TokenResponse describe(@PathVariable String token, @RequestParam("merchant_id") String merchantId) {
        return operations.timed("describe", () -> tokens.describe(token, merchantId));
    }

    @PostMapping(VaultContract.DETOKENIZE)
    DetokenizeResponse detokenize(@PathVariable String token, @RequestBody DetokenizeRequest request,
                                  @RequestAttribute(CallerAuthorizationFilter.CALLER_ATTRIBUTE) String caller) {
        return operations.timed("detokenize",
                () -> tokens.detokenize(token, request.merchantId(), caller, request.paymentId()));
    }
}
