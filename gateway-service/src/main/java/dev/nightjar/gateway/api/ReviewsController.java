package dev.nightjar.gateway.api;

import static dev.nightjar.gateway.api.MerchantRequests.json;
import static dev.nightjar.gateway.api.MerchantRequests.merchantOf;
import static dev.nightjar.gateway.api.MerchantRequests.requireId;

import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.common.audit.AuditRecord;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.gateway.contract.ApiContract;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.idempotency.IdempotentRequests.Answer;
import dev.nightjar.gateway.review.ReviewDecisions;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
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

/**
 * Manual review of payments the risk engine held: the queue, and a reviewer's decision. Approving sends
 * the payment to the acquirer; rejecting cancels it. Who decided (the API client, and the reviewer the
 * merchant names) goes into the gateway's hash-chained audit log before the decision is carried out.
 */
@RestController
class ReviewsController {

    private final InternalClients clients;
    private final IdempotentRequests idempotent;
    private final ApiContract contract;
    private final AuditLog audit;
    private final ServiceGate gate;
    private final ReviewDecisions decisions;

    ReviewsController(InternalClients clients, IdempotentRequests idempotent, ApiContract contract, AuditLog audit,
                      ServiceGates gates, ReviewDecisions decisions) {
        this.gate = gates.transactions();
        this.clients = clients;
        this.idempotent = idempotent;
        this.contract = contract;
        this.audit = audit;
        this.decisions = decisions;
    }

    @GetMapping("/v1/reviews")
    ResponseEntity<String> list(@RequestParam(name = "limit", required = false) String limit,
                                @RequestParam(name = "starting_after", required = false) String startingAfter,
                                @AuthenticationPrincipal Jwt token) {
        String merchantId = merchantOf(token);
        String after = PaymentsController.cursor(startingAfter, Ids.PAYMENT);
        return json(200, gate.fetch(() -> clients.client(Identities.TRANSACTION).get()
                .uri(PaymentsController.page(TransactionContract.REVIEWS, after), merchantId,
                        PaymentsController.limit(limit), after)
                .retrieve()
                .body(String.class)));
    }

    record Decision(String reviewer, String note) {
    }

    @PostMapping(path = "/v1/reviews/{id}/approve", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> approve(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                   @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                   @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        return decide(id, body, key, token, http, "approve", TransactionContract.APPROVE);
    }

    @PostMapping(path = "/v1/reviews/{id}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> reject(@PathVariable String id, @RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        return decide(id, body, key, token, http, "reject", TransactionContract.REJECT);
    }

    private ResponseEntity<String> decide(String id, byte[] body, String key, Jwt token, HttpServletRequest http,
                                          String decision, String internalPath) {
        String merchantId = merchantOf(token);
        requireId(id, Ids.PAYMENT, "payment");
        Decision request = contract.readOptional(body, "ReviewDecision", Decision.class);
        return idempotent.run(merchantId, key, http, body, reference -> gate.admit(() -> {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("decision", decision);
            detail.put("reviewer", request.reviewer());
            detail.put("note", request.note());
            audit.record(new AuditRecord(token.getSubject(), "payment.review." + decision, id, merchantId,
                    Json.MAPPER.writeValueAsString(detail)));
            String carriedOut = gate.call(() -> clients.client(Identities.TRANSACTION).post()
                    .uri(internalPath, merchantId, id)
                    .retrieve()
                    .body(String.class));
            decisions.record(merchantId, id, decision, request.reviewer(), request.note(), token.getSubject());
            return new Answer(200, carriedOut);
        }));
    }
}
