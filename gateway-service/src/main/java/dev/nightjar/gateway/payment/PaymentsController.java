package dev.nightjar.gateway.payment;

import dev.nightjar.common.contract.TransactionContract;
import dev.nightjar.common.contract.TransactionContract.CreatePayment;
import dev.nightjar.common.contract.VaultContract;
import dev.nightjar.common.contract.VaultContract.TokenResponse;
import dev.nightjar.common.contract.VaultContract.TokenizeRequest;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.security.Identities;
import dev.nightjar.gateway.idempotency.IdempotencyKeys;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.security.SecurityConfiguration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Payments for merchants. The card is tokenized at the vault as soon as the request is valid; from
 * there on only the token travels. transaction-service's answer is passed through as it is.
 */
@RestController
class PaymentsController {

    private final InternalClients clients;
    private final IdempotentRequests idempotent;
    private final PaymentRequestValidator validator;

    PaymentsController(InternalClients clients, IdempotentRequests idempotent, PaymentRequestValidator validator) {
        this.clients = clients;
        this.idempotent = idempotent;
        this.validator = validator;
    }

    @PostMapping(path = "/v1/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(@RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                  @AuthenticationPrincipal Jwt token) {
        String merchantId = merchantOf(token);
        if (idempotencyKey != null) {
            IdempotencyKeys.requireValidKey(idempotencyKey);
        }
        CreatePaymentRequest request = StrictJson.read(body, CreatePaymentRequest.class);
        validator.validate(request);
        return idempotent.run(merchantId, idempotencyKey, "POST", "/v1/payments", body, () -> {
            TokenResponse card = cardToken(merchantId, request.paymentMethod());
            CreatePayment command = new CreatePayment(idempotencyKey, request.amount(), request.currency(),
                    request.captureMethod(), card.token(), card.card(), request.reference(), request.description(),
                    request.metadata());
            String payment = clients.client(Identities.TRANSACTION).post()
                    .uri(TransactionContract.PAYMENTS, merchantId)
                    .body(command)
                    .retrieve()
                    .body(String.class);
            return new IdempotentRequests.Answer(201, payment);
        });
    }

    @GetMapping("/v1/payments/{paymentId}")
    ResponseEntity<String> get(@PathVariable String paymentId, @AuthenticationPrincipal Jwt token) {
        String payment = clients.client(Identities.TRANSACTION).get()
                .uri(TransactionContract.PAYMENT, merchantOf(token), paymentId)
                .retrieve()
                .body(String.class);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(payment);
    }

    private TokenResponse cardToken(String merchantId, CreatePaymentRequest.PaymentMethod method) {
        if ("card_token".equals(method.type())) {
            return clients.client(Identities.VAULT).get()
                    .uri(VaultContract.TOKEN + "?merchant_id={merchant}", method.token(), merchantId)
                    .retrieve()
                    .body(TokenResponse.class);
        }
        CreatePaymentRequest.Card card = method.card();
        return clients.client(Identities.VAULT).post()
                .uri(VaultContract.TOKENS)
                .body(new TokenizeRequest(merchantId, card.number(), card.expMonth(), card.expYear(), card.cvc()))
                .retrieve()
                .body(TokenResponse.class);
    }

    static String merchantOf(Jwt token) {
        String merchantId = token == null ? null : token.getClaimAsString(SecurityConfiguration.MERCHANT_ID_CLAIM);
        if (merchantId == null) {
            throw new ApiException(401, dev.nightjar.common.error.ApiError.of(
                    dev.nightjar.common.error.ErrorType.AUTHENTICATION, "invalid_token", "The access token names no merchant."));
        }
        return merchantId;
    }
}
