package dev.nightjar.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README and the docs stand alone: every link in them leads to a file of this repository (and, with an
 * anchor, to a heading of that file), and no address points outside it. Addresses that only stand for a
 * merchant's or an operator's own host (example domains, localhost, cluster-internal names) are allowed.
 */
class DocsStandAloneTest {

    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern LINK = Pattern.compile("\\[[^\\]]*]\\(([^)\\s]+)\\)");
    private static final Pattern ADDRESS = Pattern.compile("https?://([A-Za-z0-9.\\-]+)");
    /** Hosts that name no outside site: placeholders for the reader's own hosts. */
    private static final Pattern OWN_HOSTS = Pattern.compile(
            "localhost|127\\.0\\.0\\.1|0\\.0\\.0\\.0|(.+\\.)?example(\\.[a-z]+)?|.+\\.svc(\\..+)?|.+\\.local|[a-z0-9-]+");

    @Test
    void everyLinkLeadsToAFileOfTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path file : documents()) {
            Matcher link = LINK.matcher(Files.readString(file));
            while (link.find()) {
                String target = link.group(1);
                if (target.startsWith("http://") || target.startsWith("https://") || target.startsWith("mailto:")) {
                    continue; // addresses: the other test
                }
                String path = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                Path linked = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
                if (!linked.startsWith(REPOSITORY) || !Files.exists(linked)) {
                    broken.add(REPOSITORY.relativize(file) + ": " + target + " (no such file)");
                } else if (anchor != null && linked.toString().endsWith(".md") && !anchors(linked).contains(anchor)) {
                    broken.add(REPOSITORY.relativize(file) + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void noAddressPointsOutsideTheRepository() throws IOException {
        List<String> outside = new ArrayList<>();
        for (Path file : documents()) {
            Matcher address = ADDRESS.matcher(Files.readString(file));
            while (address.find()) {
                if (!OWN_HOSTS.matcher(address.group(1)).matches()) {
                    outside.add(REPOSITORY.relativize(file) + ": " + address.group());
                }
            }
        }
        assertThat(outside).isEmpty();
    }

    @Test
    void theCheckSeesTheReadmeAndEveryDoc() throws IOException {
        assertThat(documents()).contains(REPOSITORY.resolve("README.md"), REPOSITORY.resolve("docs/api.md"),
                REPOSITORY.resolve("docs/runbooks/README.md"));
        assertThat(OWN_HOSTS.matcher("github.com").matches()).as("an outside host is caught").isFalse();
        assertThat(anchors(REPOSITORY.resolve("docs/api.md"))).as("headings become anchors").contains("test-cards");
    }

    private static List<Path> documents() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(REPOSITORY.resolve("README.md")));
        for (String directory : List.of("docs", "deploy")) {
            try (Stream<Path> files = Files.walk(REPOSITORY.resolve(directory))) {
                files.filter(f -> f.toString().endsWith(".md") && !f.toString().contains("/target/")
                        && !f.toString().contains("/node_modules/") && !f.toString().contains("/charts/"))
                        .sorted().forEach(documents::add);
            }
        }
        return documents;
    }

    /** GitHub-style anchors of a Markdown file's headings. */
    private static List<String> anchors(Path markdown) throws IOException {
        List<String> anchors = new ArrayList<>();
        for (String line : Files.readAllLines(markdown)) {
            if (line.startsWith("#")) {
                String heading = line.replaceFirst("^#+\\s*", "").trim().toLowerCase(java.util.Locale.ROOT);
                anchors.add(heading.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
