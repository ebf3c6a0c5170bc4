package dev.nightjar.deploy.istio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.security.CallGraph;
import dev.nightjar.common.security.Identities;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import org.yaml.snakeyaml.Yaml;

/**
 * The mesh admits exactly whom the services admit: the policies in {@code deploy/istio/} and the chart's data file
 * are what {@link MeshPolicies} makes of {@link CallGraph} today, and, read back with Istio's matching rules, they
 * give the same answer as the services' own filter for every caller, workload and path of the graph.
 */
class MeshPoliciesTest {

    static final Path ROOT = Path.of("").toAbsolutePath().resolve("../..").normalize();
    static final Path MANIFESTS = ROOT.resolve("deploy/istio/mesh-policies.yaml");
    static final Path CHART_DATA = ROOT.resolve("deploy/helm/nightjar/files/call-graph.yaml");
    static final String NAMESPACE = Identities.LOCAL_NAMESPACE;
    static final String TRUST_DOMAIN = "cluster.local";
    static final String INGRESS_PRINCIPAL = "cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account";
    private static final String STRANGER = "stranger";

    @Test
    void theCheckedInPoliciesAreWhatTheCallGraphMakesToday() throws IOException {
        String manifests = MeshPolicies.manifests(NAMESPACE, TRUST_DOMAIN, INGRESS_PRINCIPAL);
        String chartData = MeshPolicies.chartData();
        if (Boolean.getBoolean("nightjar.regenerate")) {
            Files.createDirectories(MANIFESTS.getParent());
            Files.writeString(MANIFESTS, manifests);
            Files.createDirectories(CHART_DATA.getParent());
            Files.writeString(CHART_DATA, chartData);
        }
        assertThat(MANIFESTS).as("regenerate with -Dnightjar.regenerate=true").hasContent(manifests);
        assertThat(CHART_DATA).as("regenerate with -Dnightjar.regenerate=true").hasContent(chartData);
    }

    @Test
    void thePoliciesAdmitExactlyTheCallersTheServicesAdmitOnEveryPathOfTheGraph() throws IOException {
        List<String> disagreements = disagreements(new IstioAuthorization(load(MANIFESTS)), NAMESPACE, TRUST_DOMAIN);

        assertThat(disagreements).isEmpty();
    }

    @Test
    void aPolicyWithoutTheEarlierRulesExcludedWouldLetTheGatewayDetokenize() throws IOException {
        List<Map<String, Object>> manifests = load(MANIFESTS);
        manifests.stream().filter(m -> "AuthorizationPolicy".equals(m.get("kind")))
                .forEach(MeshPoliciesTest::dropNotPaths);

        List<String> disagreements = disagreements(new IstioAuthorization(manifests), NAMESPACE, TRUST_DOMAIN);

        assertThat(disagreements).anyMatch(d -> d.contains("gateway-service")
                && d.contains("vault-service /internal/v1/tokens/tok_1/detokenize"));
    }

    @Test
    void riskServiceIsDeniedEverythingAtSettlementServiceExplicitly() throws IOException {
        List<Map<String, Object>> manifests = load(MANIFESTS);
        String risk = MeshPolicies.principal(TRUST_DOMAIN, NAMESPACE, Identities.RISK);
        List<Map<String, Object>> denies = manifests.stream()
                .filter(m -> "AuthorizationPolicy".equals(m.get("kind")))
                .filter(m -> "DENY".equals(((Map<?, ?>) m.get("spec")).get("action")))
                .toList();

        assertThat(denies).hasSize(1);
        var onlyTheDeny = new IstioAuthorization(denies);
        for (String path : List.of("/internal/v1/batches", "/", "/actuator/health")) {
            assertThat(onlyTheDeny.allows(Identities.SETTLEMENT, risk, path)).as(path).isFalse();
        }
    }

    @Test
    void springPatternsBecomeIstioPathsMatchingTheSameRequests() {
        assertThat(MeshPolicies.istioPaths("/internal/v1/tokens/{token}/detokenize"))
                .containsExactly("/internal/v1/tokens/{*}/detokenize");
        assertThat(MeshPolicies.istioPaths("/internal/v1/**")).containsExactly("/internal/v1", "/internal/v1/*");
        assertThat(MeshPolicies.istioPaths("/**")).containsExactly("/*");
        assertThatThrownBy(() -> MeshPolicies.istioPaths("/internal/*/keys"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/internal/*/keys");
        assertThat(IstioAuthorization.matches("/internal/v1/tokens/{*}/detokenize", "/internal/v1/tokens/t/detokenize"))
                .isTrue();
        assertThat(IstioAuthorization.matches("/internal/v1/tokens/{*}/detokenize", "/internal/v1/tokens/a/b/detokenize"))
                .isFalse();
    }

    /**
     * Every (caller, workload, path) on which Istio and the services' filter disagree, for the graph's callers, a
     * stranger and the ingress, on a concrete path for every pattern of the graph plus some outside it.
     */
    static List<String> disagreements(IstioAuthorization mesh, String namespace, String trustDomain) {
        List<String> callers = new ArrayList<>(Identities.SERVICES);
        callers.add(Identities.OPERATOR);
        callers.add(STRANGER);
        List<String> disagreements = new ArrayList<>();
        MeshPolicies.WORKLOADS.forEach((identity, workloads) -> {
            for (String workload : workloads) {
                for (String path : samplePaths(identity)) {
                    for (String caller : callers) {
                        boolean service = serviceAllows(identity, caller, path);
                        boolean istio = mesh.allows(workload, MeshPolicies.principal(trustDomain, namespace, caller), path);
                        if (service != istio) {
                            disagreements.add(caller + " -> " + workload + " " + path + ": service " + service
                                    + ", mesh " + istio);
                        }
                    }
                    boolean ingress = identity.equals(Identities.GATEWAY) && !path.startsWith("/internal");
                    if (mesh.allows(workload, INGRESS_PRINCIPAL, path) != ingress) {
                        disagreements.add("ingress -> " + workload + " " + path + ": expected " + ingress);
                    }
                }
            }
        });
        return disagreements;
    }

    /**
     * What the service's own filter decides for a caller from another pod: the first rule whose pattern matches;
     * the gateway guards /internal/. (The filter also lets a service's own warm-up call it; that call stays inside its
     * pod, on localhost, and never meets the mesh.)
     */
    private static boolean serviceAllows(String identity, String caller, String path) {
        if (identity.equals(Identities.GATEWAY) && !path.startsWith("/internal/")) {
            return false; // not the mesh's callers: only the ingress brings merchants' requests
        }
        PathPatternParser parser = new PathPatternParser();
        for (CallGraph.Rule rule : CallGraph.rulesFor(identity)) {
            PathPattern pattern = parser.parse(rule.pathPattern());
            if (pattern.matches(PathContainer.parsePath(path))) {
                return rule.callers().contains(caller);
            }
        }
        return false;
    }

    private static Set<String> samplePaths(String identity) {
        Set<String> paths = new LinkedHashSet<>();
        for (CallGraph.Rule rule : CallGraph.rulesFor(identity)) {
            String concrete = rule.pathPattern().replaceAll("\\{[A-Za-z0-9_]+}", "tok_1");
            if (concrete.endsWith("/**")) {
                String prefix = concrete.substring(0, concrete.length() - 3);
                paths.add(prefix.isEmpty() ? "/" : prefix);
                paths.add(prefix + "/a");
                paths.add(prefix + "/a/b");
            } else {
                paths.add(concrete);
            }
        }
        paths.addAll(List.of("/internal/v2/x", "/v1/payments", "/internal", "/internal/v1/keys"));
        return paths;
    }

    static List<Map<String, Object>> load(Path file) throws IOException {
        return load(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Every YAML document of a multi-document text, as maps; empty documents are skipped. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> load(String yaml) {
        List<Map<String, Object>> manifests = new ArrayList<>();
        for (Object document : new Yaml().loadAll(yaml)) {
            if (document instanceof Map<?, ?> map) {
                manifests.add((Map<String, Object>) map);
            }
        }
        return manifests;
    }

    @SuppressWarnings("unchecked")
    private static void dropNotPaths(Map<String, Object> policy) {
        for (Object rule : (List<Object>) ((Map<String, Object>) policy.get("spec")).getOrDefault("rules", List.of())) {
            for (Object to : (List<Object>) ((Map<String, Object>) rule).getOrDefault("to", List.of())) {
                ((Map<String, Object>) ((Map<String, Object>) to).get("operation")).remove("notPaths");
            }
        }
    }
}
