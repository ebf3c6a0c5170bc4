package dev.nightjar.gateway.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.http.Deadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On a real Tomcat, a request's budget runs from its first byte: a request whose line arrives and whose
 * headers take a while to follow (as a request waits behind others on a busy server) has less budget left
 * in the filter chain by that while, and the answer's {@code Server-Timing} counts that while too. A request
 * whose budget that while has spent is answered with a 503 before anything runs for it.
 */
class ArrivalTimeValveTest {

    private static final Duration BUDGET = Duration.ofSeconds(8);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private Tomcat tomcat;
    private volatile Duration leftInServlet;
    private volatile int servletRuns;

    private void start(Duration budgetOfEachRequest) throws LifecycleException {
        tomcat = new Tomcat();
        tomcat.setBaseDir(System.getProperty("java.io.tmpdir"));
        tomcat.setPort(0);
        tomcat.getEngine().getPipeline().addValve(new ArrivalTimeValve());
        Context context = tomcat.addContext("", null);
        FilterDef budget = new FilterDef();
        budget.setFilterName("budget");
        budget.setFilter(new RequestBudgetFilter(budgetOfEachRequest, meters));
        context.addFilterDef(budget);
        FilterMap map = new FilterMap();
        map.setFilterName("budget");
        map.addURLPattern("/*");
        context.addFilterMap(map);
        Tomcat.addServlet(context, "left", new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                servletRuns++;
                leftInServlet = Deadline.left().orElseThrow();
                if (request.getRequestURI().equals("/body")) {
                    response.setContentType("application/json");
                    response.getOutputStream().write("{\"ok\": true}".getBytes(StandardCharsets.UTF_8));
                    response.flushBuffer();
                } else {
                    response.setStatus(204);
                }
            }
        });
        context.addServletMappingDecoded("/", "left");
        tomcat.getConnector();
        tomcat.start();
    }

    @AfterEach
    void stop() throws LifecycleException {
        tomcat.stop();
        tomcat.destroy();
    }

    @Test
    void theBudgetCountsTheTimeBeforeTheFiltersRan() throws Exception {
        start(BUDGET);
        String head = requestWithSlowHeaders("/");
        assertThat(head).startsWith("HTTP/1.1 204");
        // Tomcat marks the start when its poller hands it the first bytes, a moment after they were sent
        assertThat(leftInServlet).isLessThanOrEqualTo(BUDGET.minusMillis(1_400));
        assertThat(leftInServlet).isGreaterThan(BUDGET.minusSeconds(4));
        assertThat(serverTimingMillis(head)).isBetween(1_400.0, 4_000.0);
    }

    @Test
    void anAnswerWithABodySaysHowLongTheGatewayTookSinceTheFirstByte() throws Exception {
        start(BUDGET);
        String head = requestWithSlowHeaders("/body");
        assertThat(head).startsWith("HTTP/1.1 200");
        assertThat(serverTimingMillis(head)).isBetween(1_400.0, 4_000.0);
    }

    @Test
    void aRequestWhoseBudgetWasSpentBeforeTheGatewayBeganOnItIsAnswered503AtOnce() throws Exception {
        start(Duration.ofSeconds(1));
        String answer = requestWithSlowHeaders("/body");

        assertThat(answer).startsWith("HTTP/1.1 503");
        assertThat(answer).containsIgnoringCase("Retry-After: ").contains("\"code\":\"service_unavailable\"")
                .contains("could not begin on this request in time");
        assertThat(servletRuns).as("nothing ran for the request").isZero();
        assertThat(meters.counter("nightjar.requests.expired").count()).isEqualTo(1.0);
        Matcher timing = Pattern.compile("(?im)^Server-Timing: gateway;dur=([0-9.]+), wait;dur=([0-9.]+)$").matcher(answer);
        assertThat(timing.find()).as("a Server-Timing header in:%n%s", answer).isTrue();
        assertThat(Double.parseDouble(timing.group(2))).as("the wait before the gateway began").isBetween(1_400.0, 4_000.0);
    }

    /** Sends the request line, its headers 1.5 s later, and returns the whole answer. */
    private String requestWithSlowHeaders(String path) throws Exception {
        int port = tomcat.getConnector().getLocalPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // the stimulus, not a wait for a condition: the client sends the rest of its request 1.5 s
            // later, and no filter can run before the request has all its headers
            Thread.sleep(Duration.ofMillis(1_500));
            out.write("Host: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static double serverTimingMillis(String head) {
        Matcher timing = Pattern.compile("(?im)^Server-Timing: gateway;dur=([0-9.]+), wait;dur=[0-9.]+$").matcher(head);
        assertThat(timing.find()).as("a Server-Timing header in:%n%s", head).isTrue();
        return Double.parseDouble(timing.group(1));
    }
}
