package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Keeps docs/api.md true: every {@code ```sh} block of the guide, in order, runs as one bash script
 * against the test fleet and must exit 0; and every operation of docs/openapi.json is in the guide with a
 * runnable curl example. The guide reads its credentials from {@code .nightjar/demo-merchant.json}
 * relative to where it runs, so the script runs in a directory whose file names the test fleet.
 */
@ExtendWith(Fleet.class)
class ApiGuideEndToEndIT {

    private static final Path GUIDE = Path.of("..", "docs", "api.md");
    private static final Path OPENAPI = Path.of("..", "docs", "openapi.json");
    private static final List<String> HTTP_METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern EXPLICIT_METHOD = Pattern.compile("(?:^|\\s)(?:-X|--request)\\s+'?\"?([A-Za-z]+)");
    private static final Pattern SENDS_BODY = Pattern.compile("(?:^|\\s)(?:-d|--data|--data-raw|--data-binary|--data-urlencode|-F|--form)(?:\\s|=)");
    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void everyShellExampleRunsAgainstTheFleet() throws IOException, InterruptedException {
        List<String> blocks = shellBlocks(Files.readString(GUIDE));
        assertThat(blocks).as("```sh blocks in " + GUIDE).isNotEmpty();

        Path workDir = Files.createTempDirectory("nightjar-api-guide");
        try {
            Platform.DemoMerchant merchant = Fleet.running().merchant();
            Map<String, String> demo = new LinkedHashMap<>();
            demo.put("gateway_url", merchant.gatewayUrl());
            demo.put("merchant_id", merchant.merchantId());
            demo.put("client_id", merchant.clientId());
            demo.put("client_secret", merchant.clientSecret());
            demo.put("ca_file", Path.of(merchant.caFile()).toAbsolutePath().toString());
            Files.createDirectories(workDir.resolve(".nightjar"));
            Files.writeString(workDir.resolve(".nightjar").resolve("demo-merchant.json"),
                    Json.MAPPER.writeValueAsString(demo));

            // Background jobs a failing example left running (a webhook receiver) end with the script.
            String script = "set -euo pipefail\n"
                    + "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n"
                    + String.join("\n", blocks) + "\n";
            Path scriptFile = workDir.resolve("guide.sh");
            Files.writeString(scriptFile, script);
            Path output = workDir.resolve("guide.out");

            Process bash = new ProcessBuilder("bash", scriptFile.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            boolean finished = bash.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            if (!finished) {
                bash.descendants().forEach(ProcessHandle::destroyForcibly);
                bash.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished).as("the guide's examples did not finish within %d minutes; output:%n%s",
                    TIMEOUT_MINUTES, log).isTrue();
            assertThat(bash.exitValue()).as("the guide's examples failed; output:%n%s", log).isZero();
        } finally {
            deleteRecursively(workDir);
        }
    }

    @Test
    void everyOperationOfTheOpenApiDocumentHasARunnableCurlExample() throws IOException {
        String guide = Files.readString(GUIDE);
        List<String> curlCommands = curlCommands(shellBlocks(guide));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>)
                Json.MAPPER.readValue(OPENAPI.toFile(), Map.class).get("paths");
        assertThat(paths).as("paths of " + OPENAPI).isNotEmpty();

        List<String> missing = new ArrayList<>();
        paths.forEach((path, operations) -> {
            Pattern url = urlPattern(path);
            for (String method : operations.keySet()) {
                if (!HTTP_METHODS.contains(method)) {
                    continue;
                }
                String verb = method.toUpperCase(Locale.ROOT);
                if (!guide.contains(path)) {
                    missing.add(verb + " " + path + ": the path is not mentioned");
                } else if (curlCommands.stream().noneMatch(command -> verb.equals(methodOf(command))
                        && url.matcher(command).find())) {
                    missing.add(verb + " " + path + ": no ```sh block runs curl for it");
                }
            }
        });
        assertThat(missing).as("operations of docs/openapi.json the guide does not cover").isEmpty();
    }

    /** The bodies of the blocks fenced exactly {@code ```sh}, in order. */
    static List<String> shellBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        boolean shell = false;
        for (String line : markdown.split("\n", -1)) {
            String fence = line.strip();
            if (current == null) {
                if (fence.startsWith("```")) {
                    current = new StringBuilder();
                    shell = fence.equals("```sh");
                }
            } else if (fence.equals("```")) {
                if (shell) {
                    blocks.add(current.toString());
                }
                current = null;
            } else {
                current.append(line).append('\n');
            }
        }
        assertThat(current).as("an unclosed ``` fence in the guide").isNull();
        return blocks;
    }

    /** Every logical shell line (continuation lines joined) that runs curl. */
    static List<String> curlCommands(List<String> blocks) {
        List<String> commands = new ArrayList<>();
        for (String block : blocks) {
            for (String line : block.replace("\\\n", " ").split("\n")) {
                if (Pattern.compile("(?:^|[\\s(|])curl\\s").matcher(line).find()) {
                    commands.add(line);
                }
            }
        }
        return commands;
    }

    /** The HTTP method a curl command line sends: {@code -X}, else POST when it sends a body, else GET. */
    static String methodOf(String command) {
        Matcher explicit = EXPLICIT_METHOD.matcher(command);
        if (explicit.find()) {
            return explicit.group(1).toUpperCase(Locale.ROOT);
        }
        return SENDS_BODY.matcher(command).find() ? "POST" : "GET";
    }

    /**
     * {@code /v1/payments/{id}/capture} as a pattern matching {@code $NIGHTJAR/v1/payments/$PAYMENT/capture}:
     * a template segment is any non-empty segment; the path must end there (a query may follow).
     */
    static Pattern urlPattern(String template) {
        StringBuilder regex = new StringBuilder();
        Matcher parameter = Pattern.compile("\\{[^}/]+}").matcher(template);
        int at = 0;
        while (parameter.find()) {
            regex.append(Pattern.quote(template.substring(at, parameter.start()))).append("[^/\\s\"'?]+");
            at = parameter.end();
        }
        regex.append(Pattern.quote(template.substring(at))).append("(?=[?\\s\"']|$)");
        return Pattern.compile(regex.toString());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
