package dev.nightjar.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The gateway's bearer token resolver answers every header as Spring Security's default does. */
class BearerTokensTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZXJfMSJ9.c2lnbmF0dXJl-_~+/==";

    @Test
    void aWellFormedHeaderIsReadWithoutTheDefaultResolver() {
        assertThat(BearerTokens.wellFormed("Bearer " + JWT)).isEqualTo(JWT);
        assertThat(BearerTokens.wellFormed("bEaReR " + JWT)).isEqualTo(JWT);
        assertThat(BearerTokens.wellFormed("Bearer " + JWT + " ")).as("left to the default resolver").isNull();
        assertThat(BearerTokens.wellFormed("Bearer ==")).isNull();
        assertThat(BearerTokens.wellFormed("Basic " + JWT)).isNull();
    }

    @Test
    void everyHeaderGetsTheDefaultResolversAnswer() {
        List<String> headers = new ArrayList<>(List.of("", "Bearer", "Bearer ", "Bearer  " + JWT, "Bearer " + JWT,
                "bearer " + JWT, "BEARER " + JWT, "Bearer\t" + JWT, "Basic dXNlcjpwYXNz", "Bearer a=b", "Bearer a==",
                "Bearer =", "Bearer a b", "Bearer \u00e9", "Bearertoken", "Bearer a.b-c_d~e+f/g"));
        SplittableRandom random = new SplittableRandom(6122026);
        String[] prefixes = {"Bearer ", "bearer ", "BEARER ", "Bearer", "Bearer  ", "Basic ", "", "B\u00e9arer "};
        String alphabet = "aZ09-._~+/= \t\u00e9!%";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder s = new StringBuilder(prefixes[random.nextInt(prefixes.length)]);
            int length = random.nextInt(8);
            for (int i = 0; i < length; i++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            headers.add(s.toString());
        }
        DefaultBearerTokenResolver defaults = new DefaultBearerTokenResolver();
        BearerTokens ours = new BearerTokens();
        int tokens = 0;
        int refused = 0;
        for (String header : headers) {
            String expected = answer(defaults::resolve, header);
            assertThat(answer(ours::resolve, header)).as("header [%s]", header).isEqualTo(expected);
            tokens += expected.startsWith("token ") ? 1 : 0;
            refused += expected.startsWith("refused ") ? 1 : 0;
        }
        assertThat(tokens).as("the headers include well-formed ones").isGreaterThan(100);
        assertThat(refused).as("and malformed ones").isGreaterThan(100);
        // without a header, the request is anonymous
        assertThat(ours.resolve(new MockHttpServletRequest("GET", "/v1/payments"))).isNull();
    }

    private static String answer(java.util.function.Function<MockHttpServletRequest, String> resolver, String header) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/payments");
        request.addHeader("Authorization", header);
        try {
            return "token " + resolver.apply(request);
        } catch (OAuth2AuthenticationException e) {
            return "refused " + e.getError().getErrorCode() + " " + e.getError().getDescription();
        }
    }
}
