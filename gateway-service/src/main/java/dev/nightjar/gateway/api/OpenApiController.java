package dev.nightjar.gateway.api;

import dev.nightjar.gateway.contract.ApiContract;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/openapi.json}: the contract the gateway validates against, without authentication. */
@RestController
class OpenApiController {

    private final byte[] document;

    OpenApiController(ApiContract contract) {
        this.document = contract.document();
    }

    @GetMapping("/v1/openapi.json")
    ResponseEntity<byte[]> document() {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_JSON)
                .cacheControl(CacheControl.noCache())
                .body(document);
    }
}
