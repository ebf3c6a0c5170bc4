package dev.nightjar.gateway.api;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.gateway.security.SecurityConfiguration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jwt.Jwt;

/** What every merchant endpoint needs: whose request it is, which ids are well formed, JSON answers. */
public final class MerchantRequests {

    private MerchantRequests() {
    }

    public static String merchantOf(Jwt token) {
        String merchantId = token == null ? null : token.getClaimAsString(SecurityConfiguration.MERCHANT_ID_CLAIM);
        if (merchantId == null) {
            throw new ApiException(401, ApiError.of(ErrorType.AUTHENTICATION, "invalid_token", "The access token names no merchant."));
        }
        return merchantId;
    }

    /**
     * An id in a path: one that cannot exist answers exactly like one that does not (404), without a call
     * to the service that owns it.
     */
    public static String requireId(String id, String prefix, String what) {
        if (!Ids.isValid(id, prefix)) {
            // not repeated: a malformed id could be anything, a card number included
            throw new ApiException(404, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "resource_missing",
                    "No such " + what + ".", "id", null));
        }
        return id;
    }

    public static ResponseEntity<String> json(int status, String body) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
