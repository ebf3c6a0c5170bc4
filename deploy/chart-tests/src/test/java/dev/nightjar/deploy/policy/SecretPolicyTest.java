package dev.nightjar.deploy.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.deploy.chart.ChartRenders;
import dev.nightjar.deploy.chart.Combination;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SecretPolicyTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.nightjar.deploy.chart.ChartRenders#combinations")
    void noSecretValueAppearsInTheRender(Combination combination) {
        assertThat(SecretPolicy.violations(ChartRenders.of(combination).manifests())).isEmpty();
    }

    @Test
    void referencesToSecretsPlaceholdersAndKeyFilePathsPass() {
        assertThat(SecretPolicy.violations(PolicyFixtures.compliant())).isEmpty();
    }

    @Test
    void aSecretWithDataIsReported() {
        var manifests = PolicyFixtures.plus("""
                apiVersion: v1
                kind: Secret
                metadata: {name: risk-db-credentials}
                stringData:
                  password: hunter2
                """);

        assertThat(SecretPolicy.violations(manifests)).singleElement().asString()
                .contains("Secret/risk-db-credentials").contains("stringData");
    }

    @Test
    void aSecretWithoutDataIsAllowed() {
        var manifests = PolicyFixtures.plus("""
                apiVersion: v1
                kind: Secret
                metadata: {name: filled-by-the-external-secrets-operator}
                type: Opaque
                """);

        assertThat(SecretPolicy.violations(manifests)).isEmpty();
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = '|', value = {
        "spring.datasource.password=${SETTLEMENT_DB_PASSWORD}|spring.datasource.password=correct-horse|assigns a literal value to 'spring.datasource.password'",
        "      username: postgres|      username: postgres\\n          password: postgres|assigns a literal value to 'password'",
        "5432/settlement?targetServerType=primary|5432/settlement?targetServerType=primary&password=pw|a URL with a credential",
        "jdbc:postgresql://risk-db-0|jdbc:postgresql://risk:pw@risk-db-0|a URL with a credential",
    })
    void aLiteralCredentialInAnEnvironmentOrConfigMapIsReported(String safe, String unsafe, String expected) {
        assertThat(SecretPolicy.violations(PolicyFixtures.with(safe, unsafe.replace("\\n", "\n"))))
                .anySatisfy(violation -> assertThat(violation).contains(expected));
    }

    @Test
    void aLiteralKeyInAnEnvironmentVariableIsReported() {
        var manifests = PolicyFixtures.with(
                "name: NIGHTJAR_TLS_KEY_FILE", "name: NIGHTJAR_TLS_PRIVATE_KEY",
                "value: /var/run/secrets/nightjar/tls.key", "value: s3cr3t-key-material");

        assertThat(SecretPolicy.violations(manifests)).singleElement().asString()
                .contains("env NIGHTJAR_TLS_PRIVATE_KEY").contains("a literal value for a credential");
    }

    @Test
    void sqlThatTakesPasswordsFromPsqlVariablesPasses() {
        List<String> violations = new ArrayList<>();

        SecretPolicy.checkText("provision.sql", "ALTER ROLE ledger_app WITH LOGIN PASSWORD :'ledger_app_password';", violations);

        assertThat(violations).isEmpty();
    }

    @Test
    void sqlWithALiteralPasswordIsReported() {
        List<String> violations = new ArrayList<>();

        SecretPolicy.checkText("provision.sql", "ALTER ROLE ledger_app WITH LOGIN PASSWORD 'hunter2';", violations);

        assertThat(violations).singleElement().asString().contains("literal SQL password");
    }

    @Test
    void aPemBlockInAConfigMapIsReported() {
        var manifests = PolicyFixtures.plus("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: tls}
                data:
                  tls.key: |
                    -----BEGIN PRIVATE KEY-----
                    MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
                    -----END PRIVATE KEY-----
                """);

        assertThat(SecretPolicy.violations(manifests)).singleElement().asString().contains("ConfigMap/tls").contains("PEM block");
    }
}
