package dev.nightjar.gateway.api;

import static dev.nightjar.gateway.api.MerchantRequests.json;
import static dev.nightjar.gateway.api.MerchantRequests.merchantOf;
import static dev.nightjar.gateway.api.MerchantRequests.requireId;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.RemoteCallException;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.contract.TransactionContract.CancelPayment;
import dev.nightjar.contracts.contract.TransactionContract.CapturePayment;
import dev.nightjar.contracts.contract.TransactionContract.CreatePayment;
import dev.nightjar.contracts.contract.TransactionContract.CreateRefund;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * Payments and refunds for merchants. Every body is judged by the API contract first; the card is
 * tokenized at the vault as soon as the request is valid, and from there on only the token travels.
 * transaction-service's answers (payment and refund objects, or errors) pass through as they are.
 */
@RestController
class PaymentsController {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final InternalClients clients;
    private final IdempotentRequests idempotent;
    private final PaymentRequestValidator validator;
    private final ApiContract contract;
    private final ServiceGate gate;
    private final ServiceGate vault;
    private final Set<String> listableStatuses;

    PaymentsController(InternalClients clients, IdempotentRequests idempotent, PaymentRequestValidator validator,
                       ApiContract contract, ServiceGates gates) {
        this.gate = gates.transactions();
        this.vault = gates.vault();
        this.clients = clients;
        this.idempotent = idempotent;
        this.validator = validator;
        this.contract = contract;
        this.listableStatuses = listableStatuses(contract);
    }

    @PostMapping(path = "/v1/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(@RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                  @RequestHeader(name = TransactionContract.PREFER_HEADER, required = false) String prefer,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        CreatePaymentRequest request = contract.read(body, "CreatePaymentRequest", CreatePaymentRequest.class);
        validator.validate(request);
        boolean async = respondAsync(prefer);
        ResponseEntity<String> answer = idempotent.run(merchantId, key, http, body, reference -> gate.admit(() -> {
            TokenResponse card = vault.admit(() -> cardToken(merchantId, request.paymentMethod()));
            CreatePayment command = new CreatePayment(reference, request.amount(), request.currency(),
                    request.captureMethod() == null ? "automatic" : request.captureMethod(), card.token(), card.card(),
                    request.reference(), request.description(), request.metadata());
            return new Answer(async ? 202 : 201, gate.call(() -> clients.client(Identities.TRANSACTION).post()
                    .uri(TransactionContract.PAYMENTS, merchantId)
                    .headers(headers -> {
                        if (async) {
                            headers.set(TransactionContract.PREFER_HEADER, TransactionContract.RESPOND_ASYNC);
                        }
                    })
                    .body(command)
                    .retrieve()
                    .body(String.class)));
        }));
        return answer.getStatusCode().value() == 202 ? accepted(answer) : answer;
    }

    /**
     * True when the merchant's {@code Prefer} header (RFC 7240: comma-separated preferences, names without
     * case) asks for {@code respond-async}.
     */
    static boolean respondAsync(String prefer) {
        if (prefer == null) {
            return false;
        }
        for (String preference : prefer.split(",")) {
            String name = preference.split(";", 2)[0].strip();
            if (name.equalsIgnoreCase(TransactionContract.RESPOND_ASYNC)) {
                return true;
            }
        }
        return false;
    }

    /** A 202 (first answer or replay) says the preference was applied and where the payment will be. */
    private static ResponseEntity<String> accepted(ResponseEntity<String> answer) {
        String paymentId = Json.MAPPER.readTree(answer.getBody()).path("id").asString();
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header("Preference-Applied", TransactionContract.RESPOND_ASYNC)
                .header(HttpHeaders.LOCATION, "/v1/payments/" + paymentId)
                .body(answer.getBody());
    }

    @GetMapping("/v1/payments")
    ResponseEntity<String> list(@RequestParam(name = "limit", required = false) String limit,
                                @RequestParam(name = "starting_after", required = false) String startingAfter,
                                @RequestParam(name = "status", required = false) String status,
                                @AuthenticationPrincipal Jwt token) {
        String merchantId = merchantOf(token);
        Map<String, Object> variables = new HashMap<>();
        variables.put("merchantId", merchantId);
        variables.put("limit", limit(limit));
        variables.put("after", cursor(startingAfter, Ids.PAYMENT));
        String uri = page(TransactionContract.PAYMENTS, startingAfter);
        if (status != null) {
            uri += "&status={status}";
            variables.put("status", listedStatus(status));
        }
        String template = uri;
        return json(200, gate.fetch(() -> clients.client(Identities.TRANSACTION).get()
                .uri(template, variables)
                .retrieve()
                .body(String.class)));
    }

    /** {@code status}: one of the values the document's filter lists; anything else is a 400 that does not repeat it. */
    private String listedStatus(String status) {
        if (!listableStatuses.contains(status)) {
            throw ApiException.invalidParameter("status", "status must be one of " + String.join(", ", listableStatuses) + ".");
        }
        return status;
    }

    /** The enum of GET /v1/payments' {@code status} parameter in the API document: the contract is the judge. */
    static Set<String> listableStatuses(ApiContract contract) {
        for (JsonNode parameter : contract.root().path("paths").path("/v1/payments").path("get").path("parameters")) {
            if ("status".equals(parameter.path("name").asString())) {
                Set<String> statuses = new LinkedHashSet<>();
                parameter.path("schema").path("enum").forEach(value -> statuses.add(value.asString()));
                if (!statuses.isEmpty()) {
                    return Collections.unmodifiableSet(statuses);
                }
            }
        }
        throw new IllegalStateException("the API document's GET /v1/payments has no status filter with an enum");
    }

    @GetMapping("/v1/payments/{id}")
    ResponseEntity<String> get(@PathVariable String id, @AuthenticationPrincipal Jwt token) {
        String merchantId = merchantOf(token);
        return json(200, gate.fetch(() -> clients.client(Identities.TRANSACTION).get()
                .uri(TransactionContract.PAYMENT, merchantId, requireId(id, Ids.PAYMENT, "payment"))
                .retrieve()
                .body(String.class)));
    }

    @PostMapping(path = "/v1/payments/{id}/capture", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> capture(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                   @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                   @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        requireId(id, Ids.PAYMENT, "payment");
        AmountRequest request = contract.readOptional(body, "CaptureRequest", AmountRequest.class);
        return idempotent.run(merchantId, key, http, body, reference -> gate.admit(() -> new Answer(200,
                gate.call(() -> clients.client(Identities.TRANSACTION).post()
                        .uri(TransactionContract.CAPTURE, merchantId, id)
                        .body(new CapturePayment(request.amount(), reference))
                        .retrieve()
                        .body(String.class)))));
    }

    @PostMapping(path = "/v1/payments/{id}/cancel", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> cancel(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        requireId(id, Ids.PAYMENT, "payment");
        contract.readOptional(body, "CancelRequest", NoParameters.class);
        return idempotent.run(merchantId, key, http, body, reference -> gate.admit(() -> new Answer(200,
                gate.call(() -> clients.client(Identities.TRANSACTION).post()
                        .uri(TransactionContract.CANCEL, merchantId, id)
                        .body(new CancelPayment(reference))
                        .retrieve()
                        .body(String.class)))));
    }

    @PostMapping(path = "/v1/payments/{id}/refunds", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> refund(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String key,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        requireId(id, Ids.PAYMENT, "payment");
        RefundRequest request = contract.readOptional(body, "RefundRequest", RefundRequest.class);
        return idempotent.run(merchantId, key, http, body, reference -> gate.admit(() -> new Answer(201,
                gate.call(() -> clients.client(Identities.TRANSACTION).post()
                        .uri(TransactionContract.REFUNDS, merchantId, id)
                        .body(new CreateRefund(reference, request.amount(), request.reason()))
                        .retrieve()
                        .body(String.class)))));
    }

    @GetMapping("/v1/payments/{id}/refunds")
    ResponseEntity<String> refunds(@PathVariable String id,
                                   @RequestParam(name = "limit", required = false) String limit,
                                   @RequestParam(name = "starting_after", required = false) String startingAfter,
                                   @AuthenticationPrincipal Jwt token) {
        String merchantId = merchantOf(token);
        return json(200, gate.fetch(() -> clients.client(Identities.TRANSACTION).get()
                .uri(page(TransactionContract.REFUNDS, startingAfter), merchantId,
                        requireId(id, Ids.PAYMENT, "payment"), limit(limit), cursor(startingAfter, Ids.REFUND))
                .retrieve()
                .body(String.class)));
    }

    private TokenResponse cardToken(String merchantId, CreatePaymentRequest.PaymentMethod method) {
        if ("card_token".equals(method.type())) {
            try {
                return vault.call(() -> clients.client(Identities.VAULT).get()
                        .uri(VaultContract.TOKEN + "?merchant_id={merchant}", method.token(), merchantId)
                        .retrieve()
                        .body(TokenResponse.class));
            } catch (RemoteCallException e) {
                if (e.remoteStatus() == 404) {
                    // another merchant's token is as unknown as one that never existed
                    throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "resource_missing",
                            "No such token: '" + method.token() + "'.", "payment_method.token", null));
                }
                throw e;
            }
        }
        CreatePaymentRequest.Card card = method.card();
        return vault.call(() -> clients.client(Identities.VAULT).post()
                .uri(VaultContract.TOKENS)
                .body(new TokenizeRequest(merchantId, card.number(), card.expMonth(), card.expYear(), card.cvc()))
                .retrieve()
                .body(TokenResponse.class));
    }

    /** The internal listing URI: {@code limit} always, {@code starting_after} only when there is one. */
    static String page(String path, String startingAfter) {
        return startingAfter == null || startingAfter.isEmpty() ? path + "?limit={limit}"
                : path + "?limit={limit}&starting_after={after}";
    }

    /** {@code limit}: 1 to 100, default 10; anything else is a 400 naming it. */
    static int limit(String limit) {
        return dev.nightjar.common.web.Pages.limit(limit);
    }

    /** {@code starting_after}: an id of the listed kind, or absent (an empty value means the first page). */
    static String cursor(String startingAfter, String prefix) {
        return dev.nightjar.common.web.Pages.cursor(startingAfter, prefix);
    }

    record AmountRequest(Long amount) {
    }

    record RefundRequest(Long amount, String reason) {
    }

    record NoParameters() {
    }
}
