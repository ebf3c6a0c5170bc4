package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.error.ApiException;
import jakarta.servlet.ServletException;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.junit.jupiter.api.Test;

class ApiErrorControllerTest {

    @Test
    void aBareStatusBecomesTheContractsErrorForIt() {
        assertThat(ApiErrorController.answer(400, null).error().code()).isEqualTo("malformed_request");
        assertThat(ApiErrorController.answer(404, null).error().code()).isEqualTo("resource_missing");
        assertThat(ApiErrorController.answer(405, null).error().code()).isEqualTo("method_not_allowed");
        assertThat(ApiErrorController.answer(431, null).error().code()).isEqualTo("request_header_too_large");
        assertThat(ApiErrorController.answer(418, null).error().type()).isEqualTo("invalid_request_error");
        assertThat(ApiErrorController.answer(500, null).error().type()).isEqualTo("api_error");
        ApiErrorController.Answer unavailable = ApiErrorController.answer(503, null);
        assertThat(unavailable.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void anApiExceptionThrownOutsideSpringMvcKeepsItsStatusAndBody() {
        ApiErrorController.Answer answer = ApiErrorController.answer(500,
                new ServletException(ApiException.invalidParameter("limit", "limit must be 1 to 100.")));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error().param()).isEqualTo("limit");
    }

    @Test
    void aFormOrQueryTomcatCannotDecodeInAFilterIsA400() {
        ApiErrorController.Answer answer = ApiErrorController.answer(500,
                new InvalidParameterException("Character decoding failed. Parameter [scope] with value [%zz]"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.error().message()).doesNotContain("%zz");
    }
}
