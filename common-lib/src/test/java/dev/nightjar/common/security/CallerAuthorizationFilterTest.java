package dev.nightjar.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * A service's own identity gets past the call graph only on requests its own process sent (its warm-up's); with
 * its certificate alone it gets what the graph gives it, and other callers get what the graph gives them.
 */
class CallerAuthorizationFilterTest {

    private static final String DETOKENIZE = "/internal/v1/tokens/tok_1/detokenize";

    @Test
    void theServicesOwnIdentityPassesOnlyOnRequestsItsProcessSent() throws Exception {
        assertThat(status(Identities.VAULT, false)).as("the vault's certificate alone").isEqualTo(403);
        assertThat(status(Identities.VAULT, true)).as("the vault's own warm-up").isEqualTo(200);
    }

    @Test
    void otherCallersGetWhatTheCallGraphGivesThem() throws Exception {
        assertThat(status(Identities.AUTH, false)).isEqualTo(200);
        assertThat(status(Identities.GATEWAY, false)).isEqualTo(403);
        assertThat(status(Identities.GATEWAY, true)).as("marked, but not the service itself").isEqualTo(403);
    }

    /** The status a call to the vault's detokenize gets from {@code caller}, marked as sent by the vault's process or not. */
    private static int status(String caller, boolean fromThisProcess) throws Exception {
        var filter = new CallerAuthorizationFilter(Identities.VAULT, Identities.VAULT, request -> fromThisProcess,
                List.of("/internal/"), new CallerIdentityResolver(true));
        MockHttpServletRequest request = new MockHttpServletRequest("POST", DETOKENIZE);
        request.addHeader(CallerIdentityResolver.XFCC_HEADER, "URI=" + Identities.spiffeId(Identities.LOCAL_TRUST_DOMAIN,
                Identities.LOCAL_NAMESPACE, caller));
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }
}
