package dev.nightjar.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class InFlightLimitFilterTest {

    @Test
    void pastTheLimitARequestIsA503WithRetryAfterAndTheChainIsNotEntered() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        InFlightLimitFilter filter = new InFlightLimitFilter(AdmissionLimit.fixed(1), meters);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<MockHttpServletResponse> first = requests.submit(() -> {
                MockHttpServletResponse response = new MockHttpServletResponse();
                filter.doFilter(new MockHttpServletRequest("POST", "/v1/payments"), response, (req, res) -> {
                    entered.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                return response;
            });
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

            MockHttpServletResponse refused = new MockHttpServletResponse();
            boolean[] reachedChain = {false};
            filter.doFilter(new MockHttpServletRequest("POST", "/v1/payments"), refused, (req, res) -> reachedChain[0] = true);
            assertThat(refused.getStatus()).isEqualTo(503);
            assertThat(refused.getHeader("Retry-After")).isEqualTo("1");
            assertThat(refused.getHeader("Nightjar-Busy")).as("shed by a service that is up").isEqualTo("true");
            assertThat(refused.getContentAsString()).contains("\"type\":\"api_error\"").contains("\"code\":\"service_unavailable\"");
            assertThat(reachedChain[0]).isFalse();
            assertThat(meters.counter("nightjar.requests.shed").count()).isEqualTo(1.0);

            release.countDown();
            assertThat(first.get().getStatus()).isEqualTo(200);
        }
        MockHttpServletResponse after = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/payments"), after, (req, res) -> { });
        assertThat(after.getStatus()).as("the permit came back").isEqualTo(200);
    }
}
