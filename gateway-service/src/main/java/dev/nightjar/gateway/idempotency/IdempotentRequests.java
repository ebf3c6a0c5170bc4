package dev.nightjar.gateway.idempotency;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Runs a merchant's POST under its Idempotency-Key: replays answer with the stored first response and
 * {@code Idempotent-Replayed: true}; a 4xx answer is stored like a success (the request was decided);
 * a failure with no answer releases the key so a retry runs again. The key's keyed hash
 * ({@link IdempotencyKeys#digest}) is made once per request: it names the stored key and is what the action passes
 * on to the services behind the gateway.
 */
public final class IdempotentRequests {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyKeys keys;

    public IdempotentRequests(IdempotencyKeys keys) {
        this.keys = keys;
    }

    /** An answer as the merchant gets it: status and JSON body. */
    public record Answer(int status, String body) {
    }

    /**
     * Runs {@code action} once for the key, given the key as the services behind the gateway may see it (a keyed
     * hash), or null when the request has no key.
     */
    public ResponseEntity<String> run(String merchantId, String key, HttpServletRequest request, byte[] body,
                                      Function<String, Answer> action) {
        return run(merchantId, key, request.getMethod(), request.getRequestURI(), body, action);
    }

    public ResponseEntity<String> run(String merchantId, String key, String method, String path, byte[] body,
                                      Function<String, Answer> action) {
        if (key == null) {
            return entity(action.apply(null), false);
        }
        IdempotencyKeys.requireValidKey(key);
        String reference = keys.digest(key);
        Optional<IdempotencyKeys.Replay> replay = keys.claim(merchantId, reference, method, path, body);
        if (replay.isPresent()) {
            return entity(new Answer(replay.get().status(), replay.get().body()), true);
        }
        Answer answer;
        try {
            answer = action.apply(reference);
        } catch (ApiException e) {
            if (e.status() >= 500) {
                keys.release(merchantId, reference);
                throw e;
            }
            answer = new Answer(e.status(), Json.MAPPER.writeValueAsString(new ErrorResponse(e.error())));
        } catch (RuntimeException e) {
            keys.release(merchantId, reference);
            throw e;
        }
        keys.complete(merchantId, reference, answer.status(), answer.body());
        return entity(answer, false);
    }

    private static ResponseEntity<String> entity(Answer answer, boolean replayed) {
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
        if (replayed) {
            builder.header(REPLAYED_HEADER, "true");
        }
        return builder.body(answer.body());
    }
}
