package dev.nightjar.gateway.idempotency;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Runs a merchant's POST under its Idempotency-Key: replays answer with the stored first response and
 * {@code Idempotent-Replayed: true}; a 4xx answer is stored like a success (the request was decided);
 * a failure with no answer releases the key so a retry runs again.
 */
public final class IdempotentRequests {

    public static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final IdempotencyKeys keys;

    public IdempotentRequests(IdempotencyKeys keys) {
        this.keys = keys;
    }

    /** The merchant's key as the services behind the gateway may see it (a keyed hash), or null. */
    public String reference(String key) {
        return key == null ? null : keys.digest(key);
    }

    /** An answer as the merchant gets it: status and JSON body. */
    public record Answer(int status, String body) {
    }

    public ResponseEntity<String> run(String merchantId, String key, HttpServletRequest request, byte[] body,
                                      Supplier<Answer> action) {
        return run(merchantId, key, request.getMethod(), request.getRequestURI(), body, action);
    }

    public ResponseEntity<String> run(String merchantId, String key, String method, String path, byte[] body,
                                      Supplier<Answer> action) {
        if (key == null) {
            return entity(action.get(), false);
        }
        IdempotencyKeys.requireValidKey(key);
        Optional<IdempotencyKeys.Replay> replay = keys.claim(merchantId, key, method, path, body);
        if (replay.isPresent()) {
            return entity(new Answer(replay.get().status(), replay.get().body()), true);
        }
        Answer answer;
        try {
            answer = action.get();
        } catch (ApiException e) {
            if (e.status() >= 500) {
                keys.release(merchantId, key);
                throw e;
            }
            answer = new Answer(e.status(), Json.MAPPER.writeValueAsString(new ErrorResponse(e.error())));
        } catch (RuntimeException e) {
            keys.release(merchantId, key);
            throw e;
        }
        keys.complete(merchantId, key, answer.status(), answer.body());
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
