package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.RequestDispatcher;
import java.io.EOFException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What the server observation reads as an HTTP/2 request's error. */
class AnsweredRequestTest {

    private static final IOException RESET = new IOException("Client reset the stream before the request was fully read");

    private final MockHttpServletRequest request = new MockHttpServletRequest("POST", "/v1/payments");
    private final MockHttpServletResponse response = new MockHttpServletResponse();

    @Test
    void aResetAfterAnAnswerUnder500WasCommittedIsNoError() {
        answered(201);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, RESET);
        assertThat(new AnsweredRequest(request, response).getAttribute(RequestDispatcher.ERROR_EXCEPTION)).isNull();
    }

    @Test
    void aResetBeforeTheAnswerWasCommittedStaysTheRequestsError() {
        response.setStatus(201);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, RESET);
        assertThat(new AnsweredRequest(request, response).getAttribute(RequestDispatcher.ERROR_EXCEPTION)).isSameAs(RESET);
    }

    @Test
    void aResetAfterAServerErrorStaysTheRequestsError() {
        answered(503);
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, RESET);
        assertThat(new AnsweredRequest(request, response).getAttribute(RequestDispatcher.ERROR_EXCEPTION)).isSameAs(RESET);
    }

    @Test
    void anyOtherErrorAndEveryOtherAttributeAreReadAsTheyAre() {
        answered(201);
        EOFException cut = new EOFException("the body ended early");
        request.setAttribute(RequestDispatcher.ERROR_EXCEPTION, cut);
        request.setAttribute(RequestDispatcher.ERROR_MESSAGE, "kept");
        AnsweredRequest answered = new AnsweredRequest(request, response);
        assertThat(answered.getAttribute(RequestDispatcher.ERROR_EXCEPTION)).isSameAs(cut);
        assertThat(answered.getAttribute(RequestDispatcher.ERROR_MESSAGE)).isEqualTo("kept");
    }

    private void answered(int status) {
        response.setStatus(status);
        response.setCommitted(true);
    }
}
