package dev.nightjar.gateway.webhook;

import static dev.nightjar.gateway.api.MerchantRequests.json;
import static dev.nightjar.gateway.api.MerchantRequests.merchantOf;
import static dev.nightjar.gateway.api.MerchantRequests.requireId;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.gateway.contract.ApiContract;
import dev.nightjar.gateway.idempotency.IdempotentRequests;
import dev.nightjar.gateway.idempotency.IdempotentRequests.Answer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** A merchant's webhook endpoints: register (the secret is in this answer only), list, delete. */
@RestController
class WebhookEndpointsController {

    private final WebhookEndpoints endpoints;
    private final WebhookUrls urls;
    private final IdempotentRequests idempotent;
    private final ApiContract contract;

    WebhookEndpointsController(WebhookEndpoints endpoints, WebhookUrls urls, IdempotentRequests idempotent,
                               ApiContract contract) {
        this.endpoints = endpoints;
        this.urls = urls;
        this.idempotent = idempotent;
        this.contract = contract;
    }

    record EndpointRequest(String url, List<String> events) {
    }

    @PostMapping(path = "/v1/webhook_endpoints", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<String> create(@RequestBody(required = false) byte[] body,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @AuthenticationPrincipal Jwt token, HttpServletRequest http) {
        String merchantId = merchantOf(token);
        EndpointRequest request = contract.read(body, "WebhookEndpointRequest", EndpointRequest.class);
        String url = urls.validate(request.url()).toString();
        return idempotent.run(merchantId, key, http, body, reference -> {
            WebhookEndpoints.Created created = endpoints.create(merchantId, url, request.events());
            Map<String, Object> answer = view(created.endpoint());
            answer.put("secret", created.secret());
            return new Answer(201, Json.MAPPER.writeValueAsString(answer));
        });
    }

    @GetMapping("/v1/webhook_endpoints")
    ResponseEntity<String> list(@AuthenticationPrincipal Jwt token) {
        List<Map<String, Object>> data = endpoints.list(merchantOf(token)).stream()
                .map(WebhookEndpointsController::view).toList();
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("object", "list");
        list.put("data", data);
        list.put("has_more", false);
        return json(200, Json.MAPPER.writeValueAsString(list));
    }

    @DeleteMapping("/v1/webhook_endpoints/{id}")
    ResponseEntity<String> delete(@PathVariable String id, @AuthenticationPrincipal Jwt token) {
        if (!endpoints.delete(merchantOf(token), requireId(id, Ids.WEBHOOK_ENDPOINT, "webhook endpoint"))) {
            throw ApiException.notFound("webhook endpoint", id);
        }
        Map<String, Object> deleted = new LinkedHashMap<>();
        deleted.put("id", id);
        deleted.put("object", "webhook_endpoint");
        deleted.put("deleted", true);
        return json(200, Json.MAPPER.writeValueAsString(deleted));
    }

    private static Map<String, Object> view(WebhookEndpoints.Endpoint endpoint) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", endpoint.id());
        view.put("object", "webhook_endpoint");
        view.put("url", endpoint.url());
        view.put("events", endpoint.events());
        view.put("created", endpoint.created().getEpochSecond());
        return view;
    }
}
