package dev.nightjar.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Finds the bearer token of a request as {@link DefaultBearerTokenResolver} does (the {@code Authorization}
 * header only), without its regular expression when the header is well formed: {@code Bearer } in any case,
 * then one or more of {@code A-Z a-z 0-9 - . _ ~ + /}, then any number of {@code =}. Every other request,
 * a malformed header included, goes to the default resolver, which answers it (or refuses it) as before.
 * The expression was 1.4 % of the gateway's CPU at 90 payments/s: a merchant's JWT is a long header.
 */
final class BearerTokens implements BearerTokenResolver {

    private static final String PREFIX = "bearer ";

    private final BearerTokenResolver fallback = new DefaultBearerTokenResolver();

    @Override
    public String resolve(HttpServletRequest request) {
        String token = wellFormed(request.getHeader(HttpHeaders.AUTHORIZATION));
        return token != null ? token : fallback.resolve(request);
    }

    /** The token of a well-formed {@code Bearer} header, or null for anything else (no header, another scheme, malformed). */
    static String wellFormed(String header) {
        if (header == null || header.length() <= PREFIX.length()) {
            return null;
        }
        for (int i = 0; i < PREFIX.length(); i++) {
            char c = header.charAt(i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != PREFIX.charAt(i)) {
                return null;
            }
        }
        int i = PREFIX.length();
        int length = header.length();
        while (i < length && tokenCharacter(header.charAt(i))) {
            i++;
        }
        if (i == PREFIX.length()) {
            return null;
        }
        while (i < length && header.charAt(i) == '=') {
            i++;
        }
        return i == length ? header.substring(PREFIX.length()) : null;
    }

    private static boolean tokenCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
