package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.contract.AcquirerOutcome;
import dev.nightjar.contracts.contract.NetworkAnswer;
import dev.nightjar.contracts.contract.PaymentStatus;
import dev.nightjar.contracts.contract.RefundStatus;
import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.contracts.contract.WireValue;
import dev.nightjar.contracts.event.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Outcomes and statuses are enums in the code (the contracts module's) and strings only at the JSON edge: no main
 * code of any module compares one as a string ({@code "declined".equals(x)}, {@code x.equals("captured")},
 * {@code case "approved"}, {@code "pending"::equals}, {@code Objects.equals(x, "review")}). The words are the
 * enums' own wire names, so a new value is covered the day it is added.
 */
class VocabularyTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();

    /** Comparisons of a word that is not Nightjar's status, each with why it is one. */
    private static final Map<String, String> NOT_OURS = Map.of(
            "platform-local/src/main/java/dev/nightjar/platform/observe/ObserveCheck.java:pending",
            "Prometheus's alert state, read from its rules API");

    static Set<String> vocabulary() {
        Set<String> words = new TreeSet<>();
        for (Class<? extends WireValue> type : List.of(AcquirerOutcome.class, NetworkAnswer.class, PaymentStatus.class,
                RefundStatus.class, RiskDecision.class, EventType.class)) {
            Arrays.stream(type.getEnumConstants()).map(WireValue::wire).forEach(words::add);
        }
        return words;
    }

    static List<String> comparisons(String relativePath, String source, Set<String> words) {
        String alternatives = words.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        String literal = "\"(" + alternatives + ")\"";
        Pattern compared = Pattern.compile(literal + "\\s*(?:\\.equals(?:IgnoreCase)?\\(|::equals|\\s*[!=]=)"
                + "|\\.(?:equals(?:IgnoreCase)?|contentEquals)\\(\\s*" + literal + "\\s*\\)"
                + "|\\bcase\\s+" + literal + "(?=\\s*(?:->|:|,))"
                + "|Objects\\.equals\\([^;]*?" + literal
                + "|[!=]=\\s*" + literal);
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = compared.matcher(lines[i]);
            while (matcher.find()) {
                String word = Stream.of(matcher.group(1), matcher.group(2), matcher.group(3), matcher.group(4),
                                matcher.group(5))
                        .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
                if (!NOT_OURS.containsKey(relativePath + ":" + word)) {
                    found.add(relativePath + ":" + (i + 1) + ": " + lines[i].strip());
                }
            }
        }
        return found;
    }

    @Test
    void noMainCodeComparesAnOutcomeOrStatusAsAString() throws IOException {
        Set<String> words = vocabulary();
        assertThat(words).contains("approved", "unavailable", "captured", "succeeded", "review", "payment.settled");
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> paths = Files.walk(REPOSITORY)) {
            for (Path file : paths.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> REPOSITORY.relativize(p).toString().replace('\\', '/').contains("/src/main/java/"))
                    .filter(p -> !REPOSITORY.relativize(p).startsWith("target") && !p.toString().contains("/target/"))
                    .toList()) {
                files++;
                String relative = REPOSITORY.relativize(file).toString().replace('\\', '/');
                found.addAll(comparisons(relative, Files.readString(file), words));
            }
        }
        assertThat(files).as("main source files scanned").isGreaterThan(300);
        assertThat(found).as("outcomes or statuses compared as strings").isEmpty();
    }

    @Test
    void theScanFindsEachShapeOfComparison() {
        Set<String> words = vocabulary();
        String source = String.join("\n",
                "if (\"declined\".equals(outcome.status())) {",
                "if (status.equals(\"captured\")) {",
                "case \"approved\" -> x;",
                "list.stream().filter(\"pending\"::equals)",
                "java.util.Objects.equals(decision, \"review\")",
                "if (\"payment.settled\".equalsIgnoreCase(type)) {",
                "if (status == \"refunded\") {",
                "log.info(\"declined\"); // a message, not a comparison",
                "if (PaymentStatus.of(status) == PaymentStatus.CAPTURED) {");
        assertThat(comparisons("x/src/main/java/X.java", source, words)).hasSize(7)
                .noneMatch(line -> line.contains("a message") || line.contains("PaymentStatus.of"));
        assertThat(comparisons("platform-local/src/main/java/dev/nightjar/platform/observe/ObserveCheck.java",
                "if (\"pending\".equals(state)) {", words)).as("an allowed word in its file").isEmpty();
    }
}
