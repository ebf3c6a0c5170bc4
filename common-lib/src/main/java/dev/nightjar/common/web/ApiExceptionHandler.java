package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.logging.PanMasker;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestClientException;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.apache.tomcat.util.http.InvalidParameterException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Renders every failure as the API's error body. Client mistakes are 4xx naming the problem; only a
 * genuine fault becomes a 500, and that is logged (masked) with its stack trace.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ErrorResponse> apiException(ApiException e) {
        return render(e);
    }

    /**
     * The answer to {@code e}: its status, headers and error body, as JSON. For a controller's own handlers
     * that turn a service's refusal into the API's error.
     */
    public static ResponseEntity<ErrorResponse> render(ApiException e) {
        HttpHeaders headers = new HttpHeaders();
        e.headers().forEach(headers::add);
        if (e.status() >= 500) {
            log.warn("request failed with {}: {}", e.status(), PanMasker.mask(e.getMessage()));
        }
        // JSON whatever the client accepts: an error must never turn into a 406 or a 500
        return ResponseEntity.status(e.status()).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorResponse(e.error()));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ErrorResponse> unreadable(HttpMessageNotReadableException e) {
        Throwable cause = e.getMostSpecificCause();
        if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
            String param = JsonPaths.of(databind.getPath());
            return error(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid",
                    "Invalid value for " + param + ".", param, null));
        }
        String message = cause instanceof JacksonException
                ? "The request body is not valid JSON."
                : "The request body is missing or unreadable.";
        return error(400, ApiError.of(ErrorType.INVALID_REQUEST, "invalid_json", message));
    }

    @ExceptionHandler(MethodArgumentNotValidException.class)
    public ResponseEntity<ErrorResponse> invalid(MethodArgumentNotValidException e) {
        FieldError field = e.getBindingResult().getFieldError();
        String param = field == null ? null : field.getField();
        String message = e.getBindingResult().getAllErrors().stream()
                .map(error -> error instanceof FieldError f ? f.getField() + " " + f.getDefaultMessage() : error.getDefaultMessage())
                .collect(Collectors.joining("; "));
        return error(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid", message, param, null));
    }

    @ExceptionHandler(HandlerMethodValidationException.class)
    public ResponseEntity<ErrorResponse> invalidArguments(HandlerMethodValidationException e) {
        return error(400, ApiError.of(ErrorType.INVALID_REQUEST, "parameter_invalid", "Invalid request parameters."));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ErrorResponse> typeMismatch(MethodArgumentTypeMismatchException e) {
        return error(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_invalid",
                "Invalid value for " + e.getName() + ".", e.getName(), null));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ErrorResponse> missingParameter(MissingServletRequestParameterException e) {
        return error(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "parameter_missing",
                "Missing required parameter: " + e.getParameterName() + ".", e.getParameterName(), null));
    }

    @ExceptionHandler(MissingRequestHeaderException.class)
    public ResponseEntity<ErrorResponse> missingHeader(MissingRequestHeaderException e) {
        return error(400, new ApiError(ErrorType.INVALID_REQUEST.wireName(), "header_missing",
                "Missing required header: " + e.getHeaderName() + ".", e.getHeaderName(), null));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ErrorResponse> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
        return error(415, ApiError.of(ErrorType.INVALID_REQUEST, "unsupported_media_type",
                "Content-Type must be application/json."));
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<ErrorResponse> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return error(406, ApiError.of(ErrorType.INVALID_REQUEST, "not_acceptable", "Responses are application/json."));
    }

    /** 405 with {@code Allow}, which HTTP requires: the methods this URL does serve. */
    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ErrorResponse> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        HttpHeaders headers = new HttpHeaders();
        headers.setAllow(e.getSupportedHttpMethods() == null ? java.util.Set.of() : e.getSupportedHttpMethods());
        // the method is not repeated: it is whatever token the client sent
        return ResponseEntity.status(405).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorResponse(ApiError.of(ErrorType.INVALID_REQUEST, "method_not_allowed",
                        "This method is not allowed here; the Allow header lists those that are.")));
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<ErrorResponse> noResource(NoResourceFoundException e) {
        // the path is not repeated: it could hold anything, a card number included
        return error(404, StatusErrors.forStatus(404));
    }

    /** Tomcat could not decode the query string or form body (a malformed %-escape, bytes that are not UTF-8). */
    @ExceptionHandler(InvalidParameterException.class)
    public ResponseEntity<ErrorResponse> malformedParameters(InvalidParameterException e) {
        return error(400, malformedParameters());
    }

    static ApiError malformedParameters() {
        return ApiError.of(ErrorType.INVALID_REQUEST, "parameter_invalid",
                "The query string or form body is malformed: a %-escape that is not two hex digits, bytes that are"
                        + " not UTF-8, or more parameters than allowed.");
    }

    /**
     * A called service that could not be reached, did not answer in time, or broke off its answer (killed
     * mid-response): a 503 with {@code Retry-After}. Error answers never get here; they are
     * {@code RemoteCallException}s.
     */
    @ExceptionHandler(RestClientException.class)
    public ResponseEntity<ErrorResponse> unreachable(RestClientException e) {
        log.warn("internal call failed: {}", PanMasker.mask(e.getMessage()));
        return unavailable("A service Nightjar depends on did not answer in time; try again shortly.");
    }

    /**
     * The database is away (down, restarting, failing over) or could not serve in time: a 503 with
     * {@code Retry-After}, never a 500. Whatever the request began was rolled back with its transaction.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            CannotCreateTransactionException.class, TransactionSystemException.class})
    public ResponseEntity<ErrorResponse> databaseUnavailable(Exception e) {
        log.warn("database unavailable: {}", PanMasker.mask(e.getMessage()));
        return unavailable("A database Nightjar depends on is unavailable for a moment; try again shortly.");
    }

    /**
     * The caller went away before the answer was written (it timed out, or was killed): there is no one to
     * answer, and nothing went wrong here worth a stack trace.
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    public void callerGone(AsyncRequestNotUsableException e) {
        log.debug("the caller went away before the answer was written: {}", e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ErrorResponse> unexpected(Exception e) {
        log.error("unexpected failure handling a request", e);
        return error(500, ApiError.of(ErrorType.API, "internal_error", "An unexpected error occurred; it has been logged."));
    }

    private static ResponseEntity<ErrorResponse> unavailable(String message) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_JSON)
                .header(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS)
                .body(new ErrorResponse(ApiError.of(ErrorType.API, "service_unavailable", message)));
    }

    private static ResponseEntity<ErrorResponse> error(int status, ApiError error) {
        return ResponseEntity.status(HttpStatus.valueOf(status)).contentType(MediaType.APPLICATION_JSON)
                .body(new ErrorResponse(error));
    }
}
