package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.lang.Causes;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /error}, where the servlet container sends a request that ended in an error no handler answered (a
 * filter's {@code sendError}, an exception thrown outside Spring MVC): the API's error body for it, as JSON
 * whatever the client accepts. In place of Spring Boot's whitelabel page and its default JSON.
 */
@RestController
@RequestMapping("${spring.web.error.path:${error.path:/error}}")
public class ApiErrorController implements ErrorController {

    /** The status and body for an error the container reports: an exception's own, else the status's. */
    public record Answer(int status, ApiError error, Map<String, String> headers) {
    }

    @RequestMapping
    public ResponseEntity<ErrorResponse> error(HttpServletRequest request) {
        Answer answer = answer(statusOf(request), (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION));
        ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
        answer.headers().forEach(response::header);
        return response.body(new ErrorResponse(answer.error()));
    }

    public static Answer answer(int status, Throwable exception) {
        Throwable cause = Causes.first(exception, ApiException.class, InvalidParameterException.class).orElse(null);
        if (cause instanceof ApiException api) {
            return new Answer(api.status(), api.error(), api.headers());
        }
        if (cause instanceof InvalidParameterException) {
            // Tomcat parsing a query string or form body it cannot decode, thrown from a filter
            return new Answer(400, ApiExceptionHandler.malformedParameters(), Map.of());
        }
        Map<String, String> headers = status == 503
                ? Map.of(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS) : Map.of();
        return new Answer(status, StatusErrors.forStatus(status), headers);
    }

    private static int statusOf(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return status instanceof Integer code && code >= 400 ? code : 500;
    }
}
