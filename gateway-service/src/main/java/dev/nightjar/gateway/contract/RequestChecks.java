package dev.nightjar.gateway.contract;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.gateway.idempotency.IdempotencyKeys;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What the contract says of a request besides its body, checked once the merchant is known (after the bearer
 * token and the rate limit) and before the controller: only the query parameters the operation documents, each
 * at most once and well encoded; one {@code Authorization}; one {@code Idempotency-Key} of 1 to 255 printable
 * ASCII characters, not blank; one {@code Content-Type}, in UTF-8 when it names a charset.
 */
public final class RequestChecks implements HandlerInterceptor {

    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final ApiContract contract;

    public RequestChecks(ApiContract contract) {
        this.contract = contract;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        ApiContract.Operation operation = pattern == null ? null
                : contract.operation(request.getMethod(), pattern.toString()).orElse(null);
        if (operation == null) {
            return true; // not one of the contract's operations: the operator API, an error dispatch
        }
        once(request, "Authorization");
        if (operation.idempotencyKey()) {
            List<String> keys = Collections.list(request.getHeaders(IDEMPOTENCY_KEY));
            if (keys.size() > 1) {
                throw ApiException.invalidParameter(IDEMPOTENCY_KEY, "Send one Idempotency-Key, not " + keys.size() + ".");
            }
            if (!keys.isEmpty()) {
                IdempotencyKeys.requireValidKey(keys.get(0));
            }
        }
        if (operation.body() && hasBody(request)) {
            once(request, "Content-Type");
            charsetIsUtf8(request.getContentType());
        }
        queryParameters(request.getQueryString(), operation.queryParameters());
        return true;
    }

    private static void once(HttpServletRequest request, String header) {
        if (Collections.list(request.getHeaders(header)).size() > 1) {
            throw ApiException.invalidParameter(header, "Send one " + header + " header, not several.");
        }
    }

    private static boolean hasBody(HttpServletRequest request) {
        String encoding = request.getHeader("Transfer-Encoding");
        return request.getContentLengthLong() > 0 || encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
    }

    /** Bodies are UTF-8 (API.md): a charset parameter, when there is one, must say so. */
    static void charsetIsUtf8(String contentType) {
        if (contentType == null) {
            return;
        }
        String charset = MediaType.parseMediaType(contentType).getParameter("charset");
        if (charset == null) {
            return;
        }
        String unquoted = charset.length() >= 2 && charset.startsWith("\"") && charset.endsWith("\"")
                ? charset.substring(1, charset.length() - 1) : charset;
        if (!unquoted.equalsIgnoreCase("utf-8")) {
            throw new ApiException(415, ApiError.of(ErrorType.INVALID_REQUEST, "unsupported_media_type",
                    "Request bodies are UTF-8: Content-Type must be application/json, with charset=utf-8 or none."));
        }
    }

    /**
     * The raw query string, decoded strictly (a {@code %} followed by two hex digits, the bytes UTF-8): a name the
     * operation does not document, a repeated one or a malformed one is a 400. Unknown names are refused rather
     * than ignored: a misspelt {@code limt=5} would otherwise quietly give the default page.
     */
    static void queryParameters(String query, Set<String> documented) {
        if (query == null || query.isEmpty()) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue; // nothing between two separators
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), null);
            if (!documented.contains(name)) {
                String named = SchemaViolations.safe(name);
                throw new ApiException(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_unknown",
                        named.equals(name) && !name.isEmpty() ? "Received unknown query parameter: " + name + "."
                                : "Received an unknown query parameter.",
                        named.equals(name) && !name.isEmpty() ? name : null, null));
            }
            decode(equals < 0 ? "" : pair.substring(equals + 1), name);
            if (!seen.add(name)) {
                throw ApiException.invalidParameter(name, name + " may be given once.");
            }
        }
    }

    private static String decode(String encoded, String param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw malformed(param);
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else if (c > 0x7E || c < 0x20) {
                throw malformed(param); // raw bytes beyond ASCII belong percent-encoded
            } else {
                bytes.write(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw malformed(param);
        }
    }

    private static ApiException malformed(String param) {
        return ApiException.invalidParameter(param, (param == null ? "The query string" : param)
                + " is not well encoded: a % must be followed by two hex digits, and the bytes must be UTF-8.");
    }
}
