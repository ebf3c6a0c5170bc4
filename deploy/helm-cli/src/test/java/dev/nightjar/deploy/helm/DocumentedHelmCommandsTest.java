package dev.nightjar.deploy.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code ./helmw} command in docs/operations.md and the README runs as written, from the repository's
 * root, against the chart; and the commands the docs say fail do fail, naming the problem.
 */
class DocumentedHelmCommandsTest {

    private static final Path REPOSITORY = Path.of(System.getProperty("nightjar.repository", "../.."))
            .toAbsolutePath().normalize();
    private static final List<String> DOCUMENTS = List.of("docs/operations.md", "README.md");
    private static final Pattern SHELL_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FAILING_EXAMPLE = Pattern.compile("`(\\./helmw [^`]*)` fails");

    static Stream<String> documentedCommands() throws IOException {
        List<String> commands = new ArrayList<>();
        for (String document : DOCUMENTS) {
            Matcher block = SHELL_BLOCK.matcher(Files.readString(REPOSITORY.resolve(document)));
            while (block.find()) {
                block.group(1).lines().map(String::strip).filter(line -> line.startsWith("./helmw "))
                        .forEach(commands::add);
            }
        }
        return commands.stream();
    }

    @Test
    void theDocsRunLintAndTemplateForEveryProfile() throws IOException {
        List<String> commands = documentedCommands().toList();

        for (String profile : List.of("minimal", "production", "external")) {
            String values = "-f deploy/helm/nightjar/profiles/" + profile + ".yaml";
            assertThat(commands).as("documented commands").anyMatch(c -> c.startsWith("./helmw lint --strict") && c.contains(values));
            assertThat(commands).as("documented commands").anyMatch(c -> c.startsWith("./helmw template") && c.contains(values));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("documentedCommands")
    void documentedCommandSucceeds(String command) {
        Run run = run(command);

        assertThat(run.status()).as("%s%nstdout: %s%nstderr: %s", command, run.out(), run.err()).isZero();
        assertThat(run.out()).as("output of %s", command).isNotBlank();
        if (command.startsWith("./helmw template")) {
            assertThat(run.out()).contains("kind: Deployment").contains("kind: ConfigMap");
        } else {
            assertThat(run.out()).contains("1 chart(s) linted, 0 chart(s) failed");
        }
    }

    @Test
    void theDocumentedMisspeltKeyFailsNamingIt() throws IOException {
        Matcher example = FAILING_EXAMPLE.matcher(Files.readString(REPOSITORY.resolve("docs/operations.md")));
        assertThat(example.find()).as("a failing ./helmw example in docs/operations.md").isTrue();
        String command = example.group(1).replace("...", "nightjar deploy/helm/nightjar -n nightjar");

        Run run = run(command);

        assertThat(run.status()).as(command).isEqualTo(HelmCli.FAILED);
        assertThat(run.err()).contains("enabeld");
    }

    @Test
    void lintWithValuesThatBreakTheSchemaFails() {
        Run run = run("./helmw lint --strict deploy/helm/nightjar -f deploy/helm/nightjar/profiles/minimal.yaml"
                + " --set services.gateway.replicaCount=two");

        assertThat(run.status()).isEqualTo(HelmCli.FAILED);
        assertThat(run.out()).contains("replicaCount").contains("1 chart(s) linted, 1 chart(s) failed");
    }

    @Test
    void commandsThatNeedAClusterAreRefusedNamingTheHelmBinary() {
        Run run = run("./helmw install nightjar deploy/helm/nightjar -n nightjar");

        assertThat(run.status()).isEqualTo(HelmCli.USAGE);
        assertThat(run.err()).contains("`helm install` needs the helm binary and a Kubernetes cluster");
    }

    @Test
    void setSplitsOnUnescapedCommas() {
        List<String[]> pairs = HelmCli.Arguments.splitSets("a=1,b.c=x\\,y");

        assertThat(pairs).hasSize(2);
        assertThat(pairs.get(1)).containsExactly("b.c", "x,y");
    }

    /**
     * Runs a documented line through {@link HelmCli} from the repository root: a trailing comment and output
     * redirection dropped, words split on blanks.
     */
    private static Run run(String commandLine) {
        String withoutRedirect = commandLine.replaceAll("\\s+#.*$", "").replaceAll("\\s+>\\s*\\S+\\s*$", "");
        List<String> words = new ArrayList<>(List.of(withoutRedirect.trim().split("\\s+")));
        assertThat(words.removeFirst()).isEqualTo("./helmw");
        List<String> arguments = words.stream().map(DocumentedHelmCommandsTest::fromRoot).toList();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new HelmCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(arguments.toArray(String[]::new));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Repository-relative paths resolved against the repository root, as the docs run them from there. */
    private static String fromRoot(String word) {
        return word.startsWith("deploy/") ? REPOSITORY.resolve(word).toString() : word;
    }

    private record Run(int status, String out, String err) {}
}
