package dev.nightjar.common.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPatternParser;

class CallGraphTest {

    @Test
    void onlyAuthServiceMayDetokenize() {
        CallGraph.Rule detokenize = CallGraph.rulesFor(Identities.VAULT).get(0);
        assertThat(detokenize.pathPattern()).contains("detokenize");
        assertThat(detokenize.callers()).containsExactly(Identities.AUTH);
    }

    @Test
    void authServiceMayAskWhetherTheVaultIsReadyButReachesNoOtherPathThanDetokenize() {
        assertThat(allowed(Identities.VAULT, "/internal/v1/ready", Identities.AUTH)).isTrue();
        assertThat(allowed(Identities.VAULT, "/internal/v1/ready", Identities.GATEWAY)).isTrue();
        assertThat(allowed(Identities.VAULT, "/internal/v1/tokens/tok_1/detokenize", Identities.AUTH)).isTrue();
        assertThat(allowed(Identities.VAULT, "/internal/v1/tokens", Identities.AUTH)).isFalse();
        assertThat(allowed(Identities.VAULT, "/internal/v1/tokens/tok_1", Identities.AUTH)).isFalse();
        assertThat(allowed(Identities.VAULT, "/internal/v1/keys/rotate", Identities.AUTH)).isFalse();
        assertThat(allowed(Identities.VAULT, "/internal/v1/ready", Identities.RISK)).isFalse();
    }

    /** What the services' filter decides: the first rule whose pattern matches the path, then its callers. */
    private static boolean allowed(String service, String path, String caller) {
        PathContainer parsed = PathContainer.parsePath(path);
        PathPatternParser parser = new PathPatternParser();
        return CallGraph.rulesFor(service).stream()
                .filter(rule -> parser.parse(rule.pathPattern()).matches(parsed))
                .findFirst()
                .map(rule -> rule.callers().contains(caller))
                .orElse(false);
    }

    @Test
    void riskServiceCanNeverReachSettlement() {
        assertThat(CallGraph.calleesOf(Identities.RISK)).doesNotContain(Identities.SETTLEMENT);
        assertThat(CallGraph.calleesOf(Identities.RISK)).isEmpty();
    }

    @Test
    void everyServiceAcceptsSomeCaller() {
        for (String service : Identities.SERVICES) {
            assertThat(CallGraph.rulesFor(service)).as(service).isNotEmpty();
        }
    }

    @Test
    void spiffeIdsRoundTrip() {
        String id = Identities.spiffeId("cluster.local", "payments", "vault-service");
        assertThat(id).isEqualTo("spiffe://cluster.local/ns/payments/sa/vault-service");
        assertThat(Identities.workloadOf(id)).isEqualTo("vault-service");
        assertThat(Identities.workloadOf("https://example.com/sa/x")).isNull();
        assertThat(Identities.workloadOf("spiffe://cluster.local/ns/a/sa/")).isNull();
    }

    @Test
    void meshHeaderNamesTheClosestClient() {
        String header = "By=spiffe://cluster.local/ns/n/sa/vault-service;Hash=abc;"
                + "URI=spiffe://cluster.local/ns/n/sa/gateway-service,"
                + "By=spiffe://cluster.local/ns/n/sa/vault-service;URI=\"spiffe://cluster.local/ns/n/sa/auth-service\"";
        assertThat(CallerIdentityResolver.workloadOfXfcc(header)).isEqualTo("auth-service");
        assertThat(CallerIdentityResolver.workloadOfXfcc("Hash=abc")).isNull();
        assertThat(CallerIdentityResolver.workloadOfXfcc(null)).isNull();
    }
}
