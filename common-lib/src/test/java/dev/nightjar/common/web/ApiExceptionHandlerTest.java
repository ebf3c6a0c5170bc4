package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.http.RemoteCallException;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.client.ResourceAccessException;

class ApiExceptionHandlerTest {

    private final ApiExceptionHandler handler = new ApiExceptionHandler();

    @Test
    void aDatabaseThatCannotBeReachedIsA503WithRetryAfterNeverA500() {
        for (Exception outage : new Exception[] {
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"),
                new QueryTimeoutException("canceling statement due to statement timeout"),
                new CannotCreateTransactionException("Could not open JDBC Connection for transaction")}) {
            ResponseEntity<ErrorResponse> answer = handler.databaseUnavailable(outage);
            assertThat(answer.getStatusCode().value()).as(outage.getClass().getSimpleName()).isEqualTo(503);
            assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            assertThat(answer.getBody().error().type()).isEqualTo("api_error");
            assertThat(answer.getBody().error().code()).isEqualTo("service_unavailable");
        }
    }

    @Test
    void anUnreachableServiceIsA503WithRetryAfter() {
        ResponseEntity<ErrorResponse> answer = handler.unreachable(new ResourceAccessException("Connection refused"));
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        ResponseEntity<ErrorResponse> brokenOff = handler.unreachable(new org.springframework.web.client.RestClientException(
                "Error while extracting response", new java.io.IOException("Premature end of chunk coded message body")));
        assertThat(brokenOff.getStatusCode().value()).as("a service killed mid-answer").isEqualTo(503);
    }

    @Test
    void aCalledServiceThatIsUnavailableStaysA503WithRetryAfterWhileOtherFailuresAre502() {
        ResponseEntity<ErrorResponse> unavailable = handler.apiException(new RemoteCallException("vault-service", 503, null));
        assertThat(unavailable.getStatusCode().value()).isEqualTo(503);
        assertThat(unavailable.getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(unavailable.getBody().error().code()).isEqualTo("service_unavailable");

        ResponseEntity<ErrorResponse> specific = handler.apiException(new RemoteCallException("transaction-service", 503,
                dev.nightjar.common.error.ApiError.of(dev.nightjar.common.error.ErrorType.API, "acquirer_unavailable", "later")));
        assertThat(specific.getBody().error().code()).as("the called service's own error is kept").isEqualTo("acquirer_unavailable");
        assertThat(specific.getHeaders().getFirst("Retry-After")).isEqualTo("1");

        ResponseEntity<ErrorResponse> acquirerFailed = handler.apiException(new RemoteCallException("transaction-service", 502,
                dev.nightjar.common.error.ApiError.of(dev.nightjar.common.error.ErrorType.API, "acquirer_failure", "no")));
        assertThat(acquirerFailed.getStatusCode().value()).isEqualTo(502);
        assertThat(acquirerFailed.getBody().error().code()).as("a 502 names what failed: kept").isEqualTo("acquirer_failure");

        ResponseEntity<ErrorResponse> failed = handler.apiException(new RemoteCallException("vault-service", 500, null));
        assertThat(failed.getStatusCode().value()).isEqualTo(502);
        assertThat(failed.getHeaders().getFirst("Retry-After")).isNull();
    }

    @Test
    void aMethodAUrlDoesNotServeIsA405WithAllow() {
        ResponseEntity<ErrorResponse> answer = handler.methodNotAllowed(
                new HttpRequestMethodNotSupportedException("PATCH", List.of("GET", "POST")));
        assertThat(answer.getStatusCode().value()).isEqualTo(405);
        assertThat(answer.getHeaders().getAllow()).containsExactlyInAnyOrder(HttpMethod.GET, HttpMethod.POST);
        assertThat(answer.getBody().error().code()).isEqualTo("method_not_allowed");
        assertThat(answer.getBody().error().message()).doesNotContain("PATCH");
    }

    @Test
    void aQueryStringTomcatCannotDecodeIsA400NotA500() {
        ResponseEntity<ErrorResponse> answer = handler.malformedParameters(
                new InvalidParameterException("Character decoding failed. Parameter [limit] with value [%zz] has been ignored."));
        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody().error().code()).isEqualTo("parameter_invalid");
        assertThat(answer.getBody().error().message()).doesNotContain("%zz");
    }

    @Test
    void anUnknownUrlIsA404ThatDoesNotRepeatThePath() {
        ResponseEntity<ErrorResponse> answer = handler.noResource(
                new NoResourceFoundException(HttpMethod.GET, "/v1/4242424242424242", "v1/4242424242424242"));
        assertThat(answer.getStatusCode().value()).isEqualTo(404);
        assertThat(answer.getBody().error().message()).doesNotContain("4242");
    }
}
