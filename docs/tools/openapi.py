#!/usr/bin/env python3
"""Writes docs/openapi.json, the merchant API contract (OpenAPI 3.1). Run after changing it:
python3 docs/tools/openapi.py. The gateway serves the written file and validates requests against it;
tests fail if the code and the document disagree."""
import json, os

ID26 = "[0-9A-HJKMNP-TV-Z]{26}"
def ref(name): return {"$ref": "#/components/schemas/" + name}
def err(status, desc, example):
    return {"description": desc, "content": {"application/json": {"schema": ref("Error"), "example": {"error": example}}}}

E400 = err(400, "The request is invalid; `param` names the offending field.",
           {"type": "invalid_request_error", "code": "parameter_invalid", "message": "amount must be an integer from 1 to 99999999 (minor units).", "param": "amount"})
E401 = err(401, "No valid bearer token.", {"type": "authentication_error", "code": "invalid_token", "message": "Send a valid bearer token: Authorization: Bearer <access token from /oauth2/token>."})
E403 = err(403, "The token lacks the scope this request needs.", {"type": "permission_error", "code": "insufficient_scope", "message": "The access token lacks the scope this request needs (payments:write)."})
E404 = err(404, "No such resource for this merchant (another merchant's ids are not found either).", {"type": "invalid_request_error", "code": "resource_missing", "message": "No such payment: 'pay_01JD7V8Q6N2C3XK4M5P6R7S8T9'", "param": "id"})
E409 = err(409, "The payment's state does not allow this, or the Idempotency-Key is in use.", {"type": "invalid_request_error", "code": "payment_unexpected_state", "message": "This payment has a status of declined, so it cannot be captured."})
E413 = err(413, "The body is larger than 16 KiB.", {"type": "invalid_request_error", "code": "request_too_large", "message": "Request bodies are limited to 16384 bytes."})
E415 = err(415, "The body is not JSON, or not UTF-8 (a `charset` other than `utf-8`).", {"type": "invalid_request_error", "code": "unsupported_media_type", "message": "Content-Type must be application/json."})
E429 = {"description": "Too many requests for this merchant; retry after `Retry-After` seconds.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}},
        "content": {"application/json": {"schema": ref("Error"), "example": {"error": {"type": "rate_limit_error", "code": "rate_limit_exceeded", "message": "Too many requests; retry after 1 second."}}}}}
E431 = err(431, "A header, or the headers together, are larger than 16 KiB.", {"type": "invalid_request_error", "code": "request_header_too_large", "message": "A request header, or the headers together, are larger than 16 KiB."})
E5XX = err(503, "A dependency did not answer in time; retrying with the same Idempotency-Key is safe.", {"type": "api_error", "code": "service_unavailable", "message": "A service Nightjar depends on did not answer in time; try again later."})

E502 = err(502, "An acquirer or an internal service failed for certain; nothing changed. Retrying (with the same Idempotency-Key) is safe.",
           {"type": "api_error", "code": "upstream_error", "message": "An internal service (auth-service) failed; try again later."})

def standard(extra=None, post=False):
    r = {"400": E400, "401": E401, "403": E403, "429": E429, "431": E431, "502": E502, "503": E5XX}
    if post:
        r.update({"409": E409, "413": E413, "415": E415})
    if extra: r.update(extra)
    return r

IDEMPOTENCY = {"name": "Idempotency-Key", "in": "header", "required": False,
               "description": "1-255 printable ASCII characters, not blank, sent once, kept 24 hours per merchant. The same key with the same request returns the first response again (header `Idempotent-Replayed: true`); with another request, 409. An empty, blank, repeated or non-ASCII key is a 400.",
               "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7E][\\x20-\\x7E]*$"}}
PAYMENT_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^pay_" + ID26 + "$"}}
PREFER = {"name": "Prefer", "in": "header", "required": False,
          "description": "`respond-async` asks for the payment to be accepted before it is processed: the answer is a 202 with the payment in status `received`, as soon as it is stored, and the outcome follows by webhook and `GET /v1/payments/{id}` (usually within a second). Any other value, or none, is the synchronous create (201 with the outcome).",
          "schema": {"type": "string", "maxLength": 255}}
PAYMENT_STATUSES = ["received", "pending", "requires_review", "authorized", "captured", "settled", "declined", "canceled", "refunded", "failed"]
LIST_PARAMS = [
    {"name": "limit", "in": "query", "required": False, "description": "Digits only.", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
    {"name": "starting_after", "in": "query", "required": False, "description": "An id from the previous page: the next page starts after it.", "schema": {"type": "string"}}]
STATUS_FILTER = {"name": "status", "in": "query", "required": False,
    "description": "Only the payments in this status; any other value is a 400.", "schema": {"type": "string", "enum": PAYMENT_STATUSES}}

# Free text: no control characters (a client's text is stored, logged and published), line breaks only
# where text may span lines; card numbers are refused too, by code (a schema cannot run the Luhn check).
SINGLE_LINE = {"not": {"pattern": "[\\x00-\\x1F\\x7F-\\x9F]"}}
MULTI_LINE = {"not": {"pattern": "[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]"}}
NO_PAN = " No control characters; nothing shaped like a card number (12-19 digits passing the Luhn check, spaced or not)."
def text(max_length, lines, description="", min_length=None):
    t = {"type": "string", "maxLength": max_length}
    if min_length is not None: t["minLength"] = min_length
    t.update(lines)
    t["description"] = (description + (" One line." if lines is SINGLE_LINE else " Tab and line breaks allowed.") + NO_PAN).strip()
    return t
def body(schema, example):
    return {"required": True, "content": {"application/json": {"schema": ref(schema), "example": example}}}
def optional_body(schema, example):
    return {"required": False, "content": {"application/json": {"schema": ref(schema), "example": example}}}
def ok(schema, desc, example=None, status="200"):
    c = {"schema": ref(schema)}
    if example is not None: c["example"] = example
    return {status: {"description": desc, "content": {"application/json": c}}}

PAYMENT_EXAMPLE = {"id": "pay_01JD7V8Q6N2C3XK4M5P6R7S8T9", "object": "payment", "amount": 1999, "currency": "EUR",
    "status": "captured", "capture_method": "automatic", "amount_capturable": 0, "amount_captured": 1999, "amount_refunded": 0,
    "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "fingerprint": "MqD7qAR-7Aq9o9JYRYh0pQ"},
    "failure": None, "risk": {"score": 12, "decision": "allow"}, "reference": "order-1234", "description": "2 tickets",
    "metadata": {"k": "v"}, "created": 1764000000, "updated": 1764000000}
REFUND_EXAMPLE = {"id": "re_01JD7V9F1Q2W3E4R5T6Y7U8I9O", "object": "refund", "payment": "pay_01JD7V8Q6N2C3XK4M5P6R7S8T9",
    "amount": 500, "currency": "EUR", "status": "succeeded", "reason": "requested_by_customer", "failure_reason": None, "created": 1764000100}
EVENT_TYPES = ["payment.authorized", "payment.captured", "payment.declined", "payment.pending", "payment.requires_review",
               "payment.canceled", "payment.failed", "payment.settled", "refund.succeeded", "refund.failed"]
ACCEPTED = {"description": "With `Prefer: respond-async`: the payment is stored and will be processed; its outcome comes by webhook and GET.",
    "headers": {"Preference-Applied": {"schema": {"type": "string"}, "description": "`respond-async`."},
                "Location": {"schema": {"type": "string"}, "description": "`/v1/payments/{id}` of the payment."}},
    "content": {"application/json": {"schema": ref("Payment"), "example": dict(PAYMENT_EXAMPLE, status="received", amount_captured=0, risk=None)}}}

card_input = {"type": "object", "additionalProperties": False, "required": ["number", "exp_month", "exp_year"],
    "description": "A card number passing the Luhn check, an expiry not in the past, and the CVC (kept in memory only, never stored).",
    "properties": {
        "number": {"type": "string", "pattern": "^[0-9]{12,19}$", "description": "12 to 19 digits, no spaces."},
        "exp_month": {"type": "integer", "minimum": 1, "maximum": 12},
        "exp_year": {"type": "integer", "minimum": 2000, "maximum": 2100},
        "cvc": {"type": "string", "pattern": "^[0-9]{3,4}$"}}}
amount = {"type": "integer", "minimum": 1, "maximum": 99999999, "description": "Minor units of the currency (cents for EUR, yen for JPY, fils for BHD)."}

schemas = {
    "CardInput": card_input,
    "PaymentMethod": {"type": "object", "additionalProperties": False, "required": ["type"],
        "description": "A card (`type: card` with `card`) or a token from `POST /v1/tokens` (`type: card_token` with `token`).",
        "properties": {"type": {"type": "string", "enum": ["card", "card_token"]}, "card": ref("CardInput"),
                       "token": {"type": "string", "pattern": "^tok_" + ID26 + "$"}}},
    "Metadata": {"type": "object", "maxProperties": 20, "propertyNames": dict({"minLength": 1, "maxLength": 40}, **SINGLE_LINE),
                 "additionalProperties": text(500, MULTI_LINE),
                 "description": "Up to 20 keys of up to 40 characters, string values of up to 500." + NO_PAN},
    "CreatePaymentRequest": {"type": "object", "additionalProperties": False, "required": ["amount", "currency", "payment_method"],
        "properties": {"amount": amount,
            "currency": {"type": "string", "pattern": "^[A-Z]{3}$", "description": "ISO 4217 code, upper case."},
            "capture_method": {"type": "string", "enum": ["automatic", "manual"], "default": "automatic"},
            "payment_method": ref("PaymentMethod"),
            "reference": text(128, SINGLE_LINE, "Your own reference, such as an order number."),
            "description": text(500, MULTI_LINE),
            "metadata": ref("Metadata")}},
    "CaptureRequest": {"type": "object", "additionalProperties": False,
        "properties": {"amount": dict(amount, description="At most `amount_capturable`; omitted: all of it. The rest is released.")}},
    "ReviewDecision": {"type": "object", "additionalProperties": False,
        "description": "Who decided and why, for the audit log. The body may be omitted.",
        "properties": {"reviewer": text(100, SINGLE_LINE, "The person who decided (your own identifier for them).", min_length=1),
                       "note": text(500, MULTI_LINE)}},
    "CancelRequest": {"type": "object", "additionalProperties": False, "properties": {},
        "description": "No parameters: the body may be omitted or `{}`."},
    "RefundRequest": {"type": "object", "additionalProperties": False,
        "properties": {"amount": dict(amount, description="At most what was captured and not yet refunded; omitted: all of it."),
                       "reason": {"type": "string", "enum": ["duplicate", "fraudulent", "requested_by_customer"]}}},
    "TokenRequest": {"type": "object", "additionalProperties": False, "required": ["card"], "properties": {"card": ref("CardInput")}},
    "WebhookEndpointRequest": {"type": "object", "additionalProperties": False, "required": ["url", "events"],
        "properties": {"url": text(2048, SINGLE_LINE, "HTTPS (plain http only to localhost on the local platform).", min_length=8),
                       "events": {"type": "array", "minItems": 1, "maxItems": 10, "uniqueItems": True, "items": ref("EventType")}}},
    "EventType": {"type": "string", "enum": EVENT_TYPES},
    "Card": {"type": "object", "required": ["brand", "last4", "exp_month", "exp_year", "fingerprint"],
        "properties": {"brand": {"type": "string", "enum": ["visa", "mastercard", "amex", "discover", "jcb", "diners", "unionpay", "unknown"]},
                       "last4": {"type": "string", "pattern": "^[0-9]{4}$"}, "exp_month": {"type": "integer"}, "exp_year": {"type": "integer"},
                       "fingerprint": {"type": "string", "description": "The same for the same card within one merchant; reveals nothing about the number."}}},
    "Payment": {"type": "object",
        "required": ["id", "object", "amount", "currency", "status", "capture_method", "amount_capturable", "amount_captured",
                     "amount_refunded", "card", "failure", "risk", "reference", "description", "metadata", "created", "updated"],
        "properties": {"id": {"type": "string", "pattern": "^pay_" + ID26 + "$"}, "object": {"const": "payment"},
            "amount": {"type": "integer"}, "currency": {"type": "string"},
            "status": {"type": "string", "enum": PAYMENT_STATUSES,
                       "description": "`received`: accepted with `Prefer: respond-async` and stored, not processed yet (no risk verdict, nothing asked of the acquirer). `pending`: outcome not known yet (announced later by webhook). `requires_review`: held by risk. `authorized`: funds held for a manual capture. `captured`. `settled`: captured and paid out by the acquirer at a settlement cut-off (`payment.settled`), still refundable. `declined` (see `failure.decline_code`). `canceled`. `refunded`: in full (a partial refund keeps `captured` or `settled`). `failed`: technical and final."},
            "capture_method": {"type": "string", "enum": ["automatic", "manual"]},
            "amount_capturable": {"type": "integer"}, "amount_captured": {"type": "integer"}, "amount_refunded": {"type": "integer"},
            "card": {"anyOf": [ref("Card"), {"type": "null"}]},
            "failure": {"anyOf": [{"type": "object", "required": ["code"], "properties": {"code": {"type": "string", "enum": ["card_declined", "processing_error"]},
                "decline_code": {"type": ["string", "null"]}, "message": {"type": "string"}}}, {"type": "null"}]},
            "risk": {"anyOf": [{"type": "object", "required": ["score", "decision"], "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 100},
                "decision": {"type": "string", "enum": ["allow", "review", "block"]}}}, {"type": "null"}]},
            "reference": {"type": ["string", "null"]}, "description": {"type": ["string", "null"]},
            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
            "created": {"type": "integer", "description": "Unix seconds."}, "updated": {"type": "integer"}}},
    "Refund": {"type": "object", "required": ["id", "object", "payment", "amount", "currency", "status", "created"],
        "properties": {"id": {"type": "string", "pattern": "^re_" + ID26 + "$"}, "object": {"const": "refund"},
            "payment": {"type": "string"}, "amount": {"type": "integer"}, "currency": {"type": "string"},
            "status": {"type": "string", "enum": ["succeeded", "pending", "failed"]},
            "reason": {"type": ["string", "null"]}, "failure_reason": {"type": ["string", "null"]}, "created": {"type": "integer"}}},
    "PaymentList": {"type": "object", "required": ["object", "data", "has_more"], "properties": {"object": {"const": "list"},
        "data": {"type": "array", "items": ref("Payment")}, "has_more": {"type": "boolean"}}},
    "RefundList": {"type": "object", "required": ["object", "data", "has_more"], "properties": {"object": {"const": "list"},
        "data": {"type": "array", "items": ref("Refund")}, "has_more": {"type": "boolean"}}},
    "Token": {"type": "object", "required": ["id", "object", "card"], "properties": {"id": {"type": "string", "pattern": "^tok_" + ID26 + "$"},
        "object": {"const": "token"}, "card": ref("Card"), "created": {"type": "integer"}}},
    "WebhookEndpoint": {"type": "object", "required": ["id", "object", "url", "events", "created"],
        "properties": {"id": {"type": "string", "pattern": "^we_" + ID26 + "$"}, "object": {"const": "webhook_endpoint"},
            "url": {"type": "string"}, "events": {"type": "array", "items": ref("EventType")},
            "secret": {"type": "string", "pattern": "^whsec_", "description": "Only in the answer to the creation; keep it to verify signatures."},
            "created": {"type": "integer"}}},
    "WebhookEndpointList": {"type": "object", "required": ["object", "data", "has_more"], "properties": {"object": {"const": "list"},
        "data": {"type": "array", "items": ref("WebhookEndpoint")}, "has_more": {"type": "boolean"}}},
    "Deleted": {"type": "object", "required": ["id", "object", "deleted"], "properties": {"id": {"type": "string"}, "object": {"type": "string"}, "deleted": {"const": True}}},
    "Event": {"type": "object", "required": ["id", "object", "type", "created", "data"], "properties": {"id": {"type": "string", "pattern": "^evt_" + ID26 + "$"},
        "object": {"const": "event"}, "type": ref("EventType"), "created": {"type": "integer"},
        "data": {"type": "object", "required": ["object"], "properties": {"object": {"anyOf": [ref("Payment"), ref("Refund")]}}}}},
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["type", "message"],
        "properties": {"type": {"type": "string", "enum": ["invalid_request_error", "authentication_error", "permission_error", "idempotency_error", "rate_limit_error", "api_error"]},
            "code": {"type": "string"}, "message": {"type": "string"}, "param": {"type": "string"}, "decline_code": {"type": "string"}}}}},
    "AccessToken": {"type": "object", "required": ["access_token", "token_type", "expires_in", "scope"],
        "properties": {"access_token": {"type": "string"}, "token_type": {"const": "Bearer"}, "expires_in": {"type": "integer"}, "scope": {"type": "string"}}},
}

bearer = [{"bearer": ["payments:read"]}]
bearer_write = [{"bearer": ["payments:write"]}]
paths = {
  "/oauth2/token": {"post": {"operationId": "createAccessToken", "tags": ["authentication"], "summary": "An access token (OAuth2 client credentials).",
      "security": [{"clientCredentials": []}],
      "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "required": ["grant_type"],
          "properties": {"grant_type": {"const": "client_credentials"}, "scope": {"type": "string", "example": "payments:read payments:write"}}}}}},
      "responses": {"200": {"description": "A signed JWT valid for an hour.", "content": {"application/json": {"schema": ref("AccessToken"),
          "example": {"access_token": "eyJraWQiOi...", "token_type": "Bearer", "expires_in": 3600, "scope": "payments:read payments:write"}}}},
          "400": {"description": "Unsupported grant type or scope (RFC 6749 error body)."}, "401": {"description": "Unknown client or wrong secret (RFC 6749 error body)."}}}},
  "/oauth2/jwks": {"get": {"operationId": "getSigningKeys", "tags": ["authentication"], "summary": "The public keys that sign access tokens (JWK Set).",
      "security": [], "responses": {"200": {"description": "JWK Set.", "content": {"application/json": {"schema": {"type": "object", "required": ["keys"]}}}}}}},
  "/v1/openapi.json": {"get": {"operationId": "getOpenApiDocument", "tags": ["meta"], "summary": "This document.", "security": [],
      "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}}},
  "/v1/payments": {
      "post": {"operationId": "createPayment", "tags": ["payments"], "summary": "Take a card payment.", "security": bearer_write,
          "parameters": [IDEMPOTENCY, PREFER], "requestBody": body("CreatePaymentRequest", {"amount": 1999, "currency": "EUR", "capture_method": "automatic",
              "payment_method": {"type": "card", "card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}},
              "reference": "order-1234", "description": "2 tickets", "metadata": {"k": "v"}}),
          "responses": standard(dict(ok("Payment", "The payment, whatever the outcome: a decline is a payment in status `declined`.", PAYMENT_EXAMPLE, "201"),
                                     **{"202": ACCEPTED}), post=True)},
      "get": {"operationId": "listPayments", "tags": ["payments"], "summary": "The merchant's payments, newest first.", "security": bearer,
          "parameters": LIST_PARAMS + [STATUS_FILTER], "responses": standard(dict(ok("PaymentList", "A page of payments."), **{"404": E404}))}},
  "/v1/payments/{id}": {"get": {"operationId": "getPayment", "tags": ["payments"], "summary": "A payment.", "security": bearer,
      "parameters": [PAYMENT_ID], "responses": standard(dict(ok("Payment", "The payment.", PAYMENT_EXAMPLE), **{"404": E404}))}},
  "/v1/payments/{id}/capture": {"post": {"operationId": "capturePayment", "tags": ["payments"], "summary": "Capture an authorized payment, all or part of it.",
      "security": bearer_write, "parameters": [PAYMENT_ID, IDEMPOTENCY], "requestBody": optional_body("CaptureRequest", {"amount": 1500}),
      "responses": standard(dict(ok("Payment", "The captured payment."), **{"404": E404}), post=True)}},
  "/v1/payments/{id}/cancel": {"post": {"operationId": "cancelPayment", "tags": ["payments"], "summary": "Cancel an authorized payment (the hold is released) or one held for review.",
      "security": bearer_write, "parameters": [PAYMENT_ID, IDEMPOTENCY], "requestBody": optional_body("CancelRequest", {}),
      "responses": standard(dict(ok("Payment", "The payment in status `canceled`."), **{"404": E404}), post=True)}},
  "/v1/payments/{id}/refunds": {
      "post": {"operationId": "createRefund", "tags": ["refunds"], "summary": "Refund a captured or settled payment, all or part of what is left.", "security": bearer_write,
          "parameters": [PAYMENT_ID, IDEMPOTENCY], "requestBody": optional_body("RefundRequest", {"amount": 500, "reason": "requested_by_customer"}),
          "responses": standard(dict(ok("Refund", "The refund: `succeeded`, `pending` (announced later) or `failed`.", REFUND_EXAMPLE, "201"), **{"404": E404}), post=True)},
      "get": {"operationId": "listRefunds", "tags": ["refunds"], "summary": "A payment's refunds, newest first.", "security": bearer,
          "parameters": [PAYMENT_ID] + LIST_PARAMS, "responses": standard(dict(ok("RefundList", "A page of refunds."), **{"404": E404}))}},
  "/v1/reviews": {"get": {"operationId": "listReviews", "tags": ["reviews"], "summary": "Payments waiting for a reviewer, newest first: held by risk before the acquirer (status `requires_review`), or flagged after their authorization (`risk.decision` `review`).",
      "security": bearer, "parameters": LIST_PARAMS, "responses": standard(dict(ok("PaymentList", "A page of held or flagged payments."), **{"404": E404}))}},
  "/v1/reviews/{id}/approve": {"post": {"operationId": "approveReview", "tags": ["reviews"], "summary": "Let a held payment go on to the acquirer (answers the payment as the acquirer left it), or keep a flagged one as it is.",
      "security": bearer_write, "parameters": [PAYMENT_ID, IDEMPOTENCY], "requestBody": optional_body("ReviewDecision", {"reviewer": "alice@shop.example", "note": "known customer"}),
      "responses": standard(dict(ok("Payment", "The payment after its authorization."), **{"404": E404}), post=True)}},
  "/v1/reviews/{id}/reject": {"post": {"operationId": "rejectReview", "tags": ["reviews"], "summary": "Refuse a held payment (canceled, it never reaches the acquirer) or a flagged one (its authorization canceled, its capture refunded in full).",
      "security": bearer_write, "parameters": [PAYMENT_ID, IDEMPOTENCY], "requestBody": optional_body("ReviewDecision", {"reviewer": "alice@shop.example", "note": "card testing pattern"}),
      "responses": standard(dict(ok("Payment", "The payment afterwards: `canceled`, or `refunded` for a flagged capture."), **{"404": E404}), post=True)}},
  "/v1/tokens": {"post": {"operationId": "createToken", "tags": ["tokens"], "summary": "Tokenize a card, to pay with it later as `card_token`.",
      "security": bearer_write, "parameters": [IDEMPOTENCY],
      "requestBody": body("TokenRequest", {"card": {"number": "4242424242424242", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}),
      "responses": standard(ok("Token", "A token usable by this merchant only.", {"id": "tok_01JD7VA0Z9Y8X7W6V5T4S3R2Q1", "object": "token",
          "card": {"brand": "visa", "last4": "4242", "exp_month": 12, "exp_year": 2030, "fingerprint": "MqD7qAR-7Aq9o9JYRYh0pQ"}, "created": 1764000000}, "201"), post=True)}},
  "/v1/webhook_endpoints": {
      "post": {"operationId": "createWebhookEndpoint", "tags": ["webhooks"], "summary": "Register an endpoint for events; its signing secret is shown once.",
          "security": bearer_write, "parameters": [IDEMPOTENCY],
          "requestBody": body("WebhookEndpointRequest", {"url": "https://shop.example/nightjar/webhooks", "events": ["payment.captured", "refund.succeeded"]}),
          "responses": standard(ok("WebhookEndpoint", "The endpoint, with `secret`.", {"id": "we_01JD7VB1A2B3C4D5E6F7G8H9J0", "object": "webhook_endpoint",
              "url": "https://shop.example/nightjar/webhooks", "events": ["payment.captured", "refund.succeeded"], "secret": "whsec_0123456789abcdef", "created": 1764000000}, "201"), post=True)},
      "get": {"operationId": "listWebhookEndpoints", "tags": ["webhooks"], "summary": "The merchant's webhook endpoints.", "security": bearer,
          "responses": standard(ok("WebhookEndpointList", "The endpoints (without secrets)."))}},
  "/v1/webhook_endpoints/{id}": {"delete": {"operationId": "deleteWebhookEndpoint", "tags": ["webhooks"], "summary": "Stop sending events to an endpoint.",
      "security": bearer_write, "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
      "responses": standard(dict(ok("Deleted", "Deleted."), **{"404": E404}))}},
}

webhooks = {"paymentOrRefundEvent": {"post": {"summary": "An event, POSTed to each registered endpoint that asked for its type, signed.",
    "parameters": [{"name": "Nightjar-Signature", "in": "header", "required": True,
        "description": "`t=<unix seconds>,v1=<hex HMAC-SHA256(secret, \"<t>.<body>\")>`. Compare in constant time; reject old timestamps.",
        "schema": {"type": "string"}}],
    "requestBody": {"content": {"application/json": {"schema": ref("Event")}}},
    "responses": {"2XX": {"description": "Received. Anything else, or no answer within 10 seconds, is retried with exponential backoff for up to 3 days; dedupe by event id."}}}}}

# Answers are closed: a field the document does not name is a defect the end-to-end tests catch.
def closed(schema):
    if isinstance(schema, dict):
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        for key, value in schema.items():
            if key != "example":
                closed(value)
    elif isinstance(schema, list):
        for item in schema:
            closed(item)
for name in ["Card", "Payment", "Refund", "PaymentList", "RefundList", "Token", "WebhookEndpoint", "WebhookEndpointList",
             "Deleted", "Event", "Error", "AccessToken"]:
    closed(schemas[name])

doc = {"openapi": "3.1.0",
  "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
  "info": {"title": "Nightjar merchant API", "version": "1.0.0",
      "description": "Take card payments. JSON over HTTPS (TLS 1.2+), bodies up to 16 KiB in UTF-8 (no byte order mark; a `charset` other than `utf-8` is a 415), headers up to 16 KiB (431 beyond), amounts in minor units. Every error is `{\"error\": {\"type\", \"code\", \"message\", \"param\", \"decline_code\"}}`, also for a malformed request Nightjar's server refuses before routing it. A method a URL does not serve answers 405 with `Allow`. Every answer carries `Server-Timing: gateway;dur=<ms>, wait;dur=<ms>`, Nightjar's own time over the request and the part of it before Nightjar began on it. Query parameters an operation does not document, or repeated ones, are a 400. No text a client sends may hold control characters or a card number outside the card fields (400 naming the field). See docs/api.md for a guided tour and the test cards."},
  "servers": [{"url": "https://localhost:8443", "description": "The local platform (./nightjar up)."}],
  "security": [{"bearer": []}],
  "tags": [{"name": n} for n in ["authentication", "payments", "refunds", "reviews", "tokens", "webhooks", "meta"]],
  "paths": paths, "webhooks": webhooks,
  "components": {"schemas": schemas, "securitySchemes": {
      "bearer": {"type": "oauth2", "description": "An access token from POST /oauth2/token, as `Authorization: Bearer <token>`.",
          "flows": {"clientCredentials": {"tokenUrl": "/oauth2/token", "scopes": {"payments:read": "Read payments, refunds and webhook endpoints.",
              "payments:write": "Create and change them."}}}},
      "clientCredentials": {"type": "http", "scheme": "basic", "description": "client_id and client_secret, for the token endpoint only."}}}}

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "openapi.json"), "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
print("wrote docs/openapi.json")
