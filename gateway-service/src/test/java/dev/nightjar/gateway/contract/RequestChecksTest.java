package dev.nightjar.gateway.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestChecksTest {

    private static final Set<String> LIST = Set.of("limit", "starting_after");

    private static ApiException refusal(String query, Set<String> documented) {
        try {
            RequestChecks.queryParameters(query, documented);
        } catch (ApiException e) {
            return e;
        }
        throw new AssertionError("accepted: " + query);
    }

    @Test
    void documentedParametersWellEncodedOnceEachPass() {
        for (String query : new String[] {"limit=5", "limit=5&starting_after=pay_x", "starting_after=", "&&limit=5&", "limit"}) {
            assertThatCode(() -> RequestChecks.queryParameters(query, LIST)).as(query).doesNotThrowAnyException();
        }
    }

    @Test
    void malformedPercentEncodingIsA400NamingTheParameter() {
        for (String query : new String[] {"limit=%zz", "limit=%", "limit=%0", "limit=%C3%28", "limit=\u00ff"}) {
            ApiException refused = refusal(query, LIST);
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.error().param()).as(query).isEqualTo("limit");
        }
        assertThat(refusal("%zz=1", LIST).error().param()).as("a name that cannot be decoded is not named").isNull();
    }

    @Test
    void unknownParametersAreRefusedAndNamedOnlyWhenSafeToRepeat() {
        ApiException colour = refusal("limit=5&colour=red", LIST);
        assertThat(colour.error().code()).isEqualTo("parameter_unknown");
        assertThat(colour.error().param()).isEqualTo("colour");
        ApiException card = refusal("4242424242424242=1", LIST);
        assertThat(card.error().param()).isNull();
        assertThat(card.error().message()).doesNotContain("4242");
        assertThat(refusal("limit=5", Set.of()).error().param()).as("a parameter of another operation").isEqualTo("limit");
    }

    @Test
    void aRepeatedParameterIsRefusedNamingIt() {
        ApiException refused = refusal("limit=5&limit=6", LIST);
        assertThat(refused.error().code()).isEqualTo("parameter_invalid");
        assertThat(refused.error().param()).isEqualTo("limit");
    }

    @Test
    void aBodyCharsetOtherThanUtf8IsA415() {
        for (String type : new String[] {"application/json; charset=utf-16", "application/json;charset=ISO-8859-1",
                "application/json; charset=\"utf-16\""}) {
            assertThatThrownBy(() -> RequestChecks.charsetIsUtf8(type)).as(type)
                    .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(415));
        }
        for (String type : new String[] {"application/json", "application/json; charset=utf-8", "application/json;charset=UTF-8",
                "application/json; charset=\"utf-8\""}) {
            assertThatCode(() -> RequestChecks.charsetIsUtf8(type)).as(type).doesNotThrowAnyException();
        }
    }
}
