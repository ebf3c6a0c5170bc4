package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.http.client.observation.DefaultClientRequestObservationConvention;
import org.springframework.mock.http.client.MockClientHttpRequest;

class CallPathConventionTest {

    /** Spring's own convention, its {@code uri} tag opened up for the comparison. */
    private static final class Springs extends DefaultClientRequestObservationConvention {
        KeyValue uriOf(ClientRequestObservationContext context) {
            return uri(context);
        }
    }

    private static final class Ours {
        private final CallPathConvention convention = new CallPathConvention();

        KeyValue uriOf(ClientRequestObservationContext context) {
            return convention.uri(context);
        }
    }

    @Test
    void theUriTagIsSpringsForTheTemplatesTheServicesCall() {
        for (String template : List.of("/internal/v1/payments/{id}/authorize", "internal/v1/ready",
                "https://localhost:9104/internal/v1/decisions", "http://acquirer-a:9107/v1/authorizations",
                "https://localhost:9104", "https://", "http:///x", "https:///", "HTTPS://host/x", "ftp://host/x",
                "https://host?x=/y", "", "/", "{base}/v1/captures")) {
            assertThat(tagOf(template, true)).as(template).isEqualTo(tagOf(template, false));
        }
        assertThat(CallPathConvention.path("https://localhost:9104/internal/v1/decisions")).isEqualTo("/internal/v1/decisions");
        assertThat(CallPathConvention.path("internal/v1/ready")).isEqualTo("/internal/v1/ready");
    }

    @Test
    void theUriTagIsSpringsForRandomTemplates() {
        Random random = new Random(42);
        String alphabet = "htps:/Hx{}?.";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder template = new StringBuilder(random.nextInt(4) == 0 ? "" : random.nextBoolean() ? "https://" : "http://");
            for (int length = random.nextInt(12); length > 0; length--) {
                template.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(tagOf(template.toString(), true)).as(template.toString()).isEqualTo(tagOf(template.toString(), false));
        }
    }

    @Test
    void withoutATemplateTheTagIsSpringsToo() {
        assertThat(tagOf(null, true)).isEqualTo(tagOf(null, false)).isEqualTo(KeyValue.of("uri", "none"));
    }

    private static KeyValue tagOf(String template, boolean ours) {
        ClientRequestObservationContext context = new ClientRequestObservationContext(new MockClientHttpRequest(HttpMethod.GET, "/"));
        context.setUriTemplate(template);
        return ours ? new Ours().uriOf(context) : new Springs().uriOf(context);
    }
}
