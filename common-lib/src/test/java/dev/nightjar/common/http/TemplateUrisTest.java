package dev.nightjar.common.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.web.util.DefaultUriBuilderFactory;

/** Every URI is the one Spring's factory for the same base URL makes: what a RestClient with that base URL calls. */
class TemplateUrisTest {

    private static final List<String> BASES = List.of("https://localhost:9102", "http://127.0.0.1:19104",
            "https://transaction-service.nightjar.svc", "https://acquirer-a:9107");
    private static final List<String> TEMPLATES = List.of("/internal/v1/decisions",
            "/internal/v1/merchants/{merchantId}/payments", "/internal/v1/merchants/{merchantId}/payments/{paymentId}/refunds",
            "/internal/v1/tokens/{token}?merchant_id={merchant}", "/internal/v1/tokens/{token}/detokenize",
            "/internal/v1/merchants/{merchantId}/reviews?limit={limit}&starting_after={after}", "/v1/authorizations",
            "/v1/settlement-batches/{batchId}/report", "/", "/internal/v1/ready");
    private static final List<Object> VALUES = List.of("mer_01JABCD", "pay_01J9ZZ", "tok_x-y.z~_", "a b", "a/b", "a?b=c&d",
            "100%", "é€😀", "{x}", "", 42, 7L);

    @Test
    void theServicesTemplatesGiveSpringsUris() {
        Random random = new Random(7);
        for (String base : BASES) {
            TemplateUris ours = new TemplateUris(base);
            DefaultUriBuilderFactory spring = new DefaultUriBuilderFactory(base);
            for (String template : TEMPLATES) {
                assertThat(TemplateUris.readsItself(template)).as(template).isTrue();
                // what the client records as the call's template, for the uri tag
                assertThat(ours.uriString(template).toUriString()).as(base + template)
                        .isEqualTo(spring.uriString(template).toUriString());
                for (int round = 0; round < 50; round++) {
                    Object[] values = new Object[4];
                    Map<String, Object> byName = new HashMap<>();
                    for (int i = 0; i < values.length; i++) {
                        values[i] = VALUES.get(random.nextInt(VALUES.size()));
                    }
                    for (String name : List.of("merchantId", "paymentId", "token", "merchant", "limit", "after", "batchId")) {
                        byName.put(name, VALUES.get(random.nextInt(VALUES.size())));
                    }
                    assertThat(ours.expand(template, values)).as(base + template).isEqualTo(spring.expand(template, values));
                    assertThat(ours.expand(template, byName)).as(base + template).isEqualTo(spring.expand(template, byName));
                }
            }
        }
    }

    @Test
    void randomTemplatesAndValuesGiveSpringsUrisOrGoToSpring() {
        Random random = new Random(11);
        String alphabet = "ab/?=&{}-._~%:# Z9";
        int readHere = 0;
        int withQuery = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder template = new StringBuilder(random.nextInt(5) == 0 ? "" : "/");
            for (int length = random.nextInt(14); length > 0; length--) {
                int pick = random.nextInt(10);
                template.append(pick == 0 ? "{v" + random.nextInt(3) + "}"
                        : pick < 4 ? "ab/c".substring(random.nextInt(4))
                        : pick == 4 ? (template.indexOf("?") < 0 ? "?" : "&") + "q" + random.nextInt(3) + "=" + (random.nextBoolean() ? "{v}" : "x")
                        : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }
            if (TemplateUris.readsItself(template.toString())) {
                readHere++;
                withQuery += template.indexOf("?") >= 0 ? 1 : 0;
            }
            String base = BASES.get(random.nextInt(BASES.size()));
            Object[] values = {VALUES.get(random.nextInt(VALUES.size())), VALUES.get(random.nextInt(VALUES.size())),
                    VALUES.get(random.nextInt(VALUES.size())), VALUES.get(random.nextInt(VALUES.size()))};
            URI expected;
            try {
                expected = new DefaultUriBuilderFactory(base).expand(template.toString(), values);
            } catch (RuntimeException e) {
                Throwable ours = catchThrowable(() -> new TemplateUris(base).expand(template.toString(), values));
                assertThat(ours).as(base + template).isNotNull();
                continue;
            }
            assertThat(new TemplateUris(base).expand(template.toString(), values)).as(base + template).isEqualTo(expected);
            assertThat(new TemplateUris(base).uriString(template.toString()).toUriString()).as(base + template)
                    .isEqualTo(new DefaultUriBuilderFactory(base).uriString(template.toString()).toUriString());
        }
        // enough of them are expanded here, not by Spring's factory, for the comparison to say something
        assertThat(readHere).isGreaterThan(2_000);
        assertThat(withQuery).isGreaterThan(200);
    }

    @Test
    void missingValuesAndNullsAreTakenAsSpringTakesThem() {
        TemplateUris ours = new TemplateUris("https://localhost:9102");
        DefaultUriBuilderFactory spring = new DefaultUriBuilderFactory("https://localhost:9102");
        String template = "/internal/v1/merchants/{merchantId}/payments/{paymentId}";

        assertThat(catchThrowable(() -> ours.expand(template, "mer_1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(catchThrowable(() -> spring.expand(template, "mer_1")).getMessage());
        assertThat(catchThrowable(() -> ours.expand(template, Map.of("merchantId", "mer_1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(catchThrowable(() -> spring.expand(template, Map.of("merchantId", "mer_1"))).getMessage());
        Map<String, Object> nulls = new HashMap<>();
        nulls.put("merchantId", null);
        nulls.put("paymentId", "pay_1");
        assertThat(ours.expand(template, nulls)).isEqualTo(spring.expand(template, nulls));
        assertThat(ours.expand(template, null, "pay_1")).isEqualTo(spring.expand(template, null, "pay_1"));
        assertThat(ours.expand("/internal/v1/decisions")).isEqualTo(spring.expand("/internal/v1/decisions"));
    }

    @Test
    void aTemplatesBuilderChangedOrBuiltFromIsSprings() {
        String base = "https://localhost:9102";
        String template = "/internal/v1/tokens/{token}";
        TemplateUris ours = new TemplateUris(base);
        DefaultUriBuilderFactory spring = new DefaultUriBuilderFactory(base);

        assertThat(ours.uriString(template).queryParam("merchant_id", "mer 1").fragment("f").toUriString())
                .isEqualTo(spring.uriString(template).queryParam("merchant_id", "mer 1").fragment("f").toUriString());
        assertThat(ours.uriString(template).port(9103).path("/detokenize").build("tok/1"))
                .isEqualTo(spring.uriString(template).port(9103).path("/detokenize").build("tok/1"));
        assertThat(ours.uriString(template).build(Map.of("token", "tok 1")))
                .isEqualTo(spring.uriString(template).build(Map.of("token", "tok 1")));
        assertThat(ours.builder().path("/x").build()).isEqualTo(spring.builder().path("/x").build());
    }

    @Test
    void aBaseUrlWithAPathOrAnUnusualHostGoesToSpring() {
        for (String base : List.of("https://host/prefix", "https://host:9102/", "https://[::1]:9102", "https://user@host",
                "ftp://host", "https://", "https://host:", "https://host:1:2", "https://host:port", "https://:9102")) {
            assertThat(TemplateUris.plainBase(base)).as(base).isFalse();
            URI expected;
            try {
                expected = new DefaultUriBuilderFactory(base).expand("/a/{b}", "c d");
            } catch (RuntimeException e) {
                assertThat(catchThrowable(() -> new TemplateUris(base).expand("/a/{b}", "c d"))).as(base)
                        .isInstanceOf(e.getClass());
                continue;
            }
            assertThat(new TemplateUris(base).expand("/a/{b}", "c d")).as(base).isEqualTo(expected);
        }
        assertThat(TemplateUris.plainBase("https://localhost:9102")).isTrue();
        assertThat(TemplateUris.plainBase("http://127.0.0.1")).isTrue();
    }
}
