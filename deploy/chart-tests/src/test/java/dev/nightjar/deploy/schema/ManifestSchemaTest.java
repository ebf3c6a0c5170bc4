package dev.nightjar.deploy.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import dev.nightjar.deploy.chart.ManifestDocuments;
import dev.nightjar.deploy.chart.Render;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.Profile;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendered manifest is a valid object of a known API type, checked strictly; and the check is strict. */
class ManifestSchemaTest {

    private final StrictManifestReader reader = new StrictManifestReader();

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void everyRenderedManifestIsAStrictlyValidObjectOfAKnownApiType(Combination combination) {
        Render render = ChartRenders.of(combination);

        List<Violation> violations = render.manifests().stream().flatMap(m -> reader.violations(m).stream()).toList();

        assertThat(render.manifests()).as("rendered manifests").isNotEmpty();
        assertThat(violations).as("schema violations in %s", combination).isEmpty();
    }

    /** One rendered manifest of every API type the chart renders in any combination. */
    static Stream<Named<Manifest>> oneRenderedManifestOfEveryType() {
        Map<String, Manifest> firstOfType = new TreeMap<>();
        for (Combination combination : Combination.all()) {
            ChartRenders.of(combination).manifests()
                    .forEach(m -> firstOfType.putIfAbsent(m.apiVersion() + " " + m.kind(), m));
        }
        return firstOfType.entrySet().stream().map(entry -> Named.of(entry.getKey(), entry.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneRenderedManifestOfEveryType")
    void anUnknownFieldAddedToARenderedManifestOfEveryTypeIsRejected(Manifest rendered) {
        ObjectNode tree = rendered.tree().deepCopy();
        ObjectNode target = tree.path("spec").isObject() ? (ObjectNode) tree.get("spec") : tree;
        target.put("nightjarUnknownField", "x");
        String pointer = (target == tree ? "" : "/spec") + "/nightjarUnknownField";

        List<Violation> violations = reader.violations(new Manifest(rendered.source(), tree));

        assertThat(reader.violations(rendered)).as("the rendered manifest itself").isEmpty();
        assertThat(violations).as("violations of %s with an unknown field", rendered.describe()).isNotEmpty()
                .anySatisfy(v -> assertThat(v.toString()).contains("nightjarUnknownField"));
        assertThat(violations).extracting(Violation::pointer).anySatisfy(p -> assertThat(pointer).endsWith(p));
    }

    @Test
    void anUnknownFieldDeepInARenderedPodTemplateIsRejected() {
        Manifest deployment = ChartRenders.of(new Combination(Profile.PRODUCTION, false)).ofKind("Deployment").getFirst();
        ObjectNode tree = deployment.tree().deepCopy();
        ((ObjectNode) tree.at("/spec/template/spec/containers/0/securityContext")).put("runAsNonroot", true);

        assertThat(reader.violations(new Manifest(deployment.source(), tree))).extracting(Violation::pointer)
                .containsExactly("/spec/template/spec/containers/0/securityContext/runAsNonroot");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"DEPLOYMENT", "KAFKA", "KAFKA_NODE_POOL", "KAFKA_TOPIC", "AUTHORIZATION_POLICY",
            "PEER_AUTHENTICATION", "SERVICE_MONITOR", "PROMETHEUS_RULE"})
    void aValidManifestOfEveryApiGroupIsAccepted(String fixture) throws ReflectiveOperationException {
        String yaml = (String) ValidFixtures.class.getDeclaredField(fixture).get(null);

        assertThat(reader.violations(ManifestDocuments.parseOne(yaml))).isEmpty();
    }

    @Test
    void aMisspeltTopLevelSpecFieldIsRejectedByName() {
        assertRejected(ValidFixtures.DEPLOYMENT.replace("  replicas: 2", "  replicass: 2"),
                "/spec/replicass", "replicass");
    }

    @Test
    void aMisspeltFieldDeepInAContainerSecurityContextIsRejectedByName() {
        assertRejected(ValidFixtures.DEPLOYMENT.replace("runAsNonRoot: true", "runAsNonroot: true"),
                "/spec/template/spec/containers/0/securityContext/runAsNonroot", "runAsNonroot");
    }

    @Test
    void everyUnknownFieldOfOneManifestIsReportedNotJustTheFirst() {
        String yaml = ValidFixtures.DEPLOYMENT
                .replace("  replicas: 2", "  replicass: 2")
                .replace("runAsNonRoot: true", "runAsNonroot: true");

        assertThat(reader.violations(ManifestDocuments.parseOne(yaml))).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/spec/replicass", "/spec/template/spec/containers/0/securityContext/runAsNonroot");
    }

    @Test
    void aMisspeltKafkaTopicFieldIsRejectedByName() {
        assertRejected(ValidFixtures.KAFKA_TOPIC.replace("partitions: 12", "partitionz: 12"),
                "/spec/partitionz", "partitionz");
    }

    @Test
    void aMisspeltKafkaListenerFieldIsRejectedByName() {
        assertRejected(ValidFixtures.KAFKA.replace("tls: true", "tsl: true"),
                "/spec/kafka/listeners/0/tsl", "tsl");
    }

    @Test
    void anUnknownKafkaStorageTypeIsRejected() {
        assertRejected(ValidFixtures.KAFKA_NODE_POOL.replace("type: persistent-claim", "type: persistent-claims"),
                "/spec/storage", "persistent-claims");
    }

    @Test
    void aMisspeltAuthorizationPolicyFieldIsRejectedByName() {
        assertRejected(ValidFixtures.AUTHORIZATION_POLICY.replace("principals:", "principalz:"),
                "/spec/rules/0/from/0/source/principalz", "principalz");
    }

    @Test
    void anUnknownAuthorizationPolicyActionIsRejected() {
        assertRejected(ValidFixtures.AUTHORIZATION_POLICY.replace("action: DENY", "action: DENNY"),
                "/spec/action", "DENNY");
    }

    @Test
    void anUnknownFieldBesideAnIstioOneOfIsRejectedByName() {
        assertRejected(ValidFixtures.AUTHORIZATION_POLICY.replace("action: DENY", "action: DENY\n  actionn: ALLOW"),
                "/spec/actionn", "actionn");
    }

    @Test
    void theAlternativeOfAnIstioOneOfIsStillAccepted() {
        String custom = ValidFixtures.AUTHORIZATION_POLICY.replace("action: DENY", "action: CUSTOM\n  provider:\n    name: opa");

        assertThat(reader.violations(ManifestDocuments.parseOne(custom))).isEmpty();
    }

    @Test
    void aLowerCaseAuthorizationPolicyActionIsRejected() {
        assertRejected(ValidFixtures.AUTHORIZATION_POLICY.replace("action: DENY", "action: deny"), "/spec/action", "deny");
    }

    @Test
    void anUnknownPeerAuthenticationModeIsRejected() {
        assertRejected(ValidFixtures.PEER_AUTHENTICATION.replace("mode: STRICT", "mode: STRICTT"),
                "/spec/mtls/mode", "STRICTT");
    }

    @Test
    void aMisspeltServiceMonitorEndpointFieldIsRejectedByName() {
        assertRejected(ValidFixtures.SERVICE_MONITOR.replace("interval: 30s", "intervall: 30s"),
                "/spec/endpoints/0/intervall", "intervall");
    }

    @Test
    void aMisspeltPrometheusRuleFieldIsRejectedByName() {
        assertRejected(ValidFixtures.PROMETHEUS_RULE.replace("expr:", "exprr:"),
                "/spec/groups/0/rules/0/exprr", "exprr");
    }

    @Test
    void aStringWhereTheApiWantsAnIntegerIsRejected() {
        assertRejected(ValidFixtures.DEPLOYMENT.replace("replicas: 2", "replicas: \"2\""), "/spec/replicas", "");
    }

    @Test
    void aNumberWhereTheApiWantsAStringIsRejected() {
        assertRejected(ValidFixtures.DEPLOYMENT.replace("value: \"8080\"", "value: 8080"),
                "/spec/template/spec/containers/0/env/0/value", "");
    }

    @Test
    void aStringWhereTheApiWantsABooleanIsRejected() {
        assertRejected(ValidFixtures.DEPLOYMENT.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: \"true\""),
                "/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem", "");
    }

    @Test
    void aStringWhereKafkaTopicWantsAnIntegerIsRejected() {
        assertRejected(ValidFixtures.KAFKA_TOPIC.replace("partitions: 12", "partitions: twelve"), "/spec/partitions", "");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"example.com/v1 Widget", "policy/v1beta1 PodDisruptionBudget", "apps/v2 Deployment",
            "kafka.strimzi.io/v1beta2 KafkaTopics", "security.istio.io/v1beta2 AuthorizationPolicy"})
    void anUnknownKindOrApiVersionIsRejected(String apiVersionAndKind) {
        String[] parts = apiVersionAndKind.split(" ");
        String yaml = "apiVersion: " + parts[0] + "\nkind: " + parts[1] + "\nmetadata:\n  name: x\n";

        List<Violation> violations = reader.violations(ManifestDocuments.parseOne(yaml));

        assertThat(violations).singleElement().extracting(Violation::problem).asString()
                .contains("unknown API type", parts[1], parts[0]);
    }

    @Test
    void aDuplicateKeyInARenderIsRejected() {
        String yaml = ValidFixtures.DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  replicas: 3");

        assertThatThrownBy(() -> ManifestDocuments.parse(yaml)).hasMessageContaining("replicas");
    }

    private void assertRejected(String yaml, String pointer, String mentioning) {
        List<Violation> violations = reader.violations(ManifestDocuments.parseOne(yaml));

        assertThat(violations).as("violations of the changed manifest").isNotEmpty();
        // Istio specs with a oneOf are read through fabric8's JsonUnwrappedDeserializer, which restarts the path
        // at the spec: the pointer is then a suffix of the full one.
        assertThat(violations).anySatisfy(v -> {
            assertThat(pointer).endsWith(v.pointer());
            assertThat(v.pointer()).isNotEmpty();
            assertThat(v.toString()).contains(mentioning);
        });
    }

}
