package dev.nightjar.gateway.api;

import static dev.nightjar.gateway.api.MerchantRequests.merchantOf;

import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.contract.VaultContract;
import dev.nightjar.contracts.contract.VaultContract.TokenResponse;
import dev.nightjar.contracts.contract.VaultContract.TokenizeRequest;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.gateway.contract.ApiContract;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.idempotency.IdempotentRequests.Answer;
import dev.nightjar.gateway.payment.CreatePaymentRequest;
import dev.nightjar.gateway.payment.PaymentRequestValidator;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /v1/tokens}: a card stored in the vault for later payments by the same merchant. The
 * fingerprint is the vault's keyed hash under the merchant's own key.
 */
@RestController
class TokensController {

    private final InternalClients clients;
    private final IdempotentRequests idempotent;
    private final PaymentRequestValidator validator;
    private final ApiContract contract;
    private final ServiceGate vault;

    TokensController(InternalClients clients, IdempotentRequests idempotent, PaymentRequestValidator validator,
                     ApiContract contract, ServiceGates gates) {
        this.vault = gates.vault();
        this.clients = clients;
        this.idempotent = idempotent;
        this.validator = validator;
        this.contract = contract;
    }

    @PostMapping(path = "/v1/tokens", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(@RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        TokenRequest request = contract.read(body, "TokenRequest", TokenRequest.class);
        validator.validateCard("card", request.card());
        return idempotent.run(merchantId, key, http, body, reference -> {
            CreatePaymentRequest.Card card = request.card();
            TokenResponse stored = vault.fetch(() -> clients.client(Identities.VAULT).post()
                    .uri(VaultContract.TOKENS)
                    .body(new TokenizeRequest(merchantId, card.number(), card.expMonth(), card.expYear(), card.cvc()))
                    .retrieve()
                    .body(TokenResponse.class));
            return new Answer(201, Json.MAPPER.writeValueAsString(TokenObject.of(stored)));
        });
    }

    record TokenRequest(CreatePaymentRequest.Card card) {
    }

    /** The token as merchants see it. */
    record TokenObject(String id, String object, PublicCard card, long created) {

        static TokenObject of(TokenResponse stored) {
            CardDetails card = stored.card();
            return new TokenObject(stored.token(), "token",
                    new PublicCard(card.brand(), card.last4(), card.expMonth(), card.expYear(), card.fingerprint()),
                    Ids.timestampOf(stored.token()).getEpochSecond());
        }
    }

    record PublicCard(String brand, String last4, int expMonth, int expYear, String fingerprint) {
    }
}
