package dev.nightjar.deploy.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nightjar.deploy.chart.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No secret value is in the chart's output: secrets come from Vault or an external secret store at run
 * time. So no Secret carries data, no environment variable holds a literal password or key, and no
 * ConfigMap holds a PEM block, a credential assignment or a URL with a password in it.
 */
final class SecretPolicy {

    /** A name that says "this is a credential". */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "(?i).*(password|passwd|passphrase|secret|token|api[_.-]?key|private[_.-]?key|credential|signing[_.-]?key|hmac).*");
    /** Names of that kind that hold something else: where the secret is, or how it is used. */
    private static final Pattern NOT_A_SECRET_NAME = Pattern.compile(
            "(?i).*[_.-](file|path|location|dir|directory|ref|mount|encryption|required|enabled|length|policy|algorithm"
                    + "|method|type|mode|uri|url|endpoint|issuer|audience|ttl|expiry|header|name|role|provider)$");
    /** A key = value or key: value line (properties, YAML, JSON, INI). */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "[\"']?([A-Za-z0-9_.-]+)[\"']?([ \\t]*)([:=])([ \\t]*)[\"']?([^\"'\\s,}#]*)");
    /** SQL's literal password: ALTER ROLE x PASSWORD 'literal'. */
    private static final Pattern SQL_PASSWORD = Pattern.compile("(?i)\\bpassword\\s+'[^']+'");
    private static final Pattern PEM = Pattern.compile("-----BEGIN [A-Z0-9 ]+-----");
    private static final Pattern PASSWORD_IN_URL = Pattern.compile("://[^/\\s:@]+:[^/\\s@]+@");
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)[?&;](password|secret|token)=[^&;\\s]+");

    private SecretPolicy() {
    }

    static List<String> violations(List<Manifest> manifests) {
        List<String> violations = new ArrayList<>();
        for (Manifest manifest : manifests) {
            if (manifest.is("Secret")) {
                checkSecret(manifest, violations);
            }
            if (manifest.is("ConfigMap")) {
                checkConfigMap(manifest, violations);
            }
            if (manifest.hasPodTemplate()) {
                checkEnvironment(manifest, violations);
            }
        }
        return violations;
    }

    private static void checkSecret(Manifest secret, List<String> violations) {
        for (String field : List.of("data", "stringData")) {
            if (!secret.tree().path(field).isEmpty()) {
                violations.add(secret.describe() + ": a Secret with " + field + " " + secret.tree().path(field).properties().stream()
                        .map(Map.Entry::getKey).toList());
            }
        }
    }

    private static void checkConfigMap(Manifest configMap, List<String> violations) {
        configMap.tree().path("data").properties().forEach(entry ->
                checkText(configMap.describe() + " key " + entry.getKey(), entry.getValue().asText(), violations));
        configMap.tree().path("binaryData").properties().forEach(entry -> {
            String decoded = new String(Base64.getMimeDecoder().decode(entry.getValue().asText()), StandardCharsets.ISO_8859_1);
            checkText(configMap.describe() + " binary key " + entry.getKey(), decoded, violations);
        });
    }

    private static void checkEnvironment(Manifest workload, List<String> violations) {
        for (JsonNode container : Pods.allContainers(workload)) {
            for (JsonNode env : container.path("env")) {
                if (!env.has("value")) {
                    continue;
                }
                String name = env.path("name").asText();
                String value = env.path("value").asText();
                String where = workload.describe() + " container " + container.path("name").asText() + " env " + name;
                if (isSecretName(name) && isLiteralSecret(value)) {
                    violations.add(where + ": a literal value for a credential (use secretKeyRef or a mounted file)");
                }
                checkText(where, value, violations);
            }
        }
    }

    /** Checks free text (a config file, an env value) for a PEM block, a credential assignment or a password in a URL. */
    static void checkText(String where, String text, List<String> violations) {
        if (PEM.matcher(text).find()) {
            violations.add(where + ": contains a PEM block");
        }
        if (PASSWORD_IN_URL.matcher(text).find() || PASSWORD_PARAMETER.matcher(text).find()) {
            violations.add(where + ": contains a URL with a credential");
        }
        if (SQL_PASSWORD.matcher(text).find()) {
            violations.add(where + ": contains a literal SQL password");
        }
        Matcher assignment = ASSIGNMENT.matcher(text);
        while (assignment.find()) {
            String key = assignment.group(1);
            String value = assignment.group(5);
            // psql's variable interpolation (PASSWORD :'owner_password') names a variable, it holds no value.
            boolean psqlVariable = assignment.group(3).equals(":") && !assignment.group(2).isEmpty() && assignment.group(4).isEmpty();
            if (isSecretName(key) && isLiteralSecret(value) && !psqlVariable) {
                violations.add(where + ": assigns a literal value to '" + key + "'");
            }
        }
    }

    private static boolean isSecretName(String name) {
        return SECRET_NAME.matcher(name).matches() && !NOT_A_SECRET_NAME.matcher(name).matches();
    }

    /** A value that is neither empty, a placeholder resolved at run time, a file, a URL nor a flag. */
    private static boolean isLiteralSecret(String value) {
        String trimmed = value.trim();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        return !(trimmed.isEmpty()
                || trimmed.startsWith("${") || trimmed.startsWith("$(") || trimmed.startsWith("{{") || trimmed.startsWith("%(")
                || trimmed.startsWith("/") || lower.startsWith("file:") || lower.startsWith("classpath:")
                || lower.startsWith("vault:") || lower.matches("https?://[^@]*")
                || lower.matches("true|false|null|~|yes|no|on|off|\\|-?|>-?|\\d+"));
    }
}
