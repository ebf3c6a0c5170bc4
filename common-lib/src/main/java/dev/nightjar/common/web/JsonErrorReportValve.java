package dev.nightjar.common.web;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;

/**
 * Tomcat's own answer to a request it refuses before any servlet sees it (a malformed request line, URL or
 * header, a header over the limit, CONNECT, an unknown transfer coding), in the API's error shape instead of
 * Tomcat's HTML page. A 501 or 505 becomes a 400: the client sent what no Nightjar server speaks, which is
 * the client's to fix. A header over the limit is a 431.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    /** Tomcat's message for a request head over maxHttpRequestHeaderSize, in the JVM's locale as Tomcat says it. */
    private static final String HEADER_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
            .getString("iib.requestheadertoolarge.error");

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        if (status == 501 || status == 505) {
            status = 400;
        } else if (status == 400 && throwable != null && HEADER_TOO_LARGE.equals(throwable.getMessage())) {
            status = 431;
        }
        try {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            if (status == 503) {
                response.setHeader(ApiException.RETRY_AFTER, ApiException.RETRY_AFTER_SECONDS);
            }
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Json.MAPPER.writeValueAsString(new ErrorResponse(StatusErrors.forStatus(status))));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone, or the response already went: nothing more to say to it
        }
    }
}
