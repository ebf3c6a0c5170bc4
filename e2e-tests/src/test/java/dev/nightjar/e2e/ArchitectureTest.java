package dev.nightjar.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A service never uses another service's code: what they share lives in common-lib (the Spring starter) and
 * the contracts module (the vocabulary, plain Java). Checked twice, on the compiled classes (no class of one
 * service depends on a class of another) and on the build (no service module declares another service module
 * as a dependency); and the contracts depend on Java and Jackson only.
 */
class ArchitectureTest {

    /** Each service module and the package its code lives in. */
    static final Map<String, String> SERVICES = Map.of(
            "gateway-service", "dev.nightjar.gateway",
            "vault-service", "dev.nightjar.vault",
            "transaction-service", "dev.nightjar.transaction",
            "auth-service", "dev.nightjar.auth",
            "risk-service", "dev.nightjar.risk",
            "ledger-service", "dev.nightjar.ledger",
            "settlement-service", "dev.nightjar.settlement",
            "acquirer-simulator", "dev.nightjar.acquirer");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.nightjar");
    }

    @Test
    void everyServiceModuleIsOnTheClassPathOfThisCheck() {
        for (String pkg : SERVICES.values()) {
            assertThat(classes.stream().anyMatch(type -> type.getPackageName().startsWith(pkg)))
                    .as("classes of " + pkg + " were imported")
                    .isTrue();
        }
    }

    @Test
    void noServiceDependsOnAnotherServicesClasses() {
        for (Map.Entry<String, String> service : SERVICES.entrySet()) {
            String own = service.getValue();
            String[] others = SERVICES.values().stream().filter(pkg -> !pkg.equals(own))
                    .map(pkg -> pkg + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(own + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because(service.getKey() + " may share only what lives in common-lib")
                    .check(classes);
        }
    }

    @Test
    void commonLibDependsOnNoService() {
        noClasses().that().resideInAPackage("dev.nightjar.common..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        SERVICES.values().stream().map(pkg -> pkg + "..").toArray(String[]::new))
                .check(classes);
    }

    @Test
    void theContractsAreJavaAndJacksonOnly() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that().resideInAPackage("dev.nightjar.contracts..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nightjar.contracts..",
                        "tools.jackson..", "com.fasterxml.jackson.annotation..")
                .because("the vocabulary compiles without a framework: no Spring, no Kafka, no JDBC")
                .check(classes);
    }

    @Test
    void thePaymentDomainIsJavaAndTheContractsOnly() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that()
                .resideInAPackage("dev.nightjar.transaction.domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "dev.nightjar.contracts..",
                        "dev.nightjar.transaction.domain..")
                .because("the state machine decides from the payment and the command alone: no Spring, no database,"
                        + " no HTTP status (those belong to the web edge)")
                .check(classes);
    }

    @Test
    void noHttpStatusBelowTransactionServicesWebEdge() {
        noClasses().that().resideInAPackage("dev.nightjar.transaction..")
                .and().areNotAnnotatedWith("org.springframework.web.bind.annotation.RestController")
                .and().resideOutsideOfPackage("dev.nightjar.transaction.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.http..", "dev.nightjar.common.error..")
                .because("the services refuse in the payment's terms (PaymentRefusedException); which HTTP status and"
                        + " error body answer a refusal is the web edge's business alone: the controllers and"
                        + " TransactionErrors")
                .check(classes);
    }

    @Test
    void theContractsKnowNothingOfTheStarterOrTheServices() {
        noClasses().that().resideInAPackage("dev.nightjar.contracts..")
                .should().dependOnClassesThat().resideInAnyPackage(java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("dev.nightjar.common.."),
                        SERVICES.values().stream().map(pkg -> pkg + "..")).toArray(String[]::new))
                .check(classes);
    }

    @Test
    void noServiceModuleDeclaresAnotherServiceModuleAsADependency() throws IOException {
        Path repository = Path.of("..").toAbsolutePath().normalize();
        Pattern dependency = Pattern.compile("<artifactId>([a-z-]+)</artifactId>");
        List<String> violations = new ArrayList<>();
        for (String module : SERVICES.keySet()) {
            String pom = Files.readString(repository.resolve(module).resolve("pom.xml"));
            String dependencies = pom.substring(Math.max(0, pom.indexOf("<dependencies>")));
            Matcher matcher = dependency.matcher(dependencies);
            while (matcher.find()) {
                String artifact = matcher.group(1);
                if (SERVICES.containsKey(artifact) && !artifact.equals(module)) {
                    violations.add(module + " depends on " + artifact);
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
