package dev.nightjar.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Reads back the tarballs the build wrote to target/images and pins what the chart and the
 * platform rely on: names, user, entrypoint, ports, labels, layer order, and a JRE that runs.
 */
class WorkloadImagesTest {

    private static final Path IMAGES = Path.of(System.getProperty("nightjar.images.directory", "target/images"));
    private static final String VERSION = System.getProperty("nightjar.images.version", "0.1.0-SNAPSHOT");
    private static final long PROCESS_TIMEOUT_SECONDS = 120;

    /**
     * What each workload listens on (a Spring service: its API and management ports; the forecaster: its one port)
     * and whether it is a Spring Boot service (Spring and common-lib among its jars, an application.* resource).
     */
    record Expected(String workload, List<Integer> ports, boolean springService) {

        Expected(String workload, int appPort, int managementPort) {
            this(workload, List.of(appPort, managementPort), true);
        }

        ImageTarball image() {
            return ImageTarball.read(IMAGES.resolve(workload + ".tar"));
        }

        @Override
        public String toString() {
            return workload;
        }
    }

    static Stream<Expected> workloads() {
        return Stream.of(
                new Expected("gateway-service", 8443, 9200),
                new Expected("vault-service", 9101, 9201),
                new Expected("transaction-service", 9102, 9202),
                new Expected("auth-service", 9103, 9203),
                new Expected("risk-service", 9104, 9204),
                new Expected("ledger-service", 9105, 9205),
                new Expected("settlement-service", 9106, 9206),
                new Expected("acquirer-simulator", 9107, 9207),
                new Expected("forecaster", List.of(9208), false));
    }

    /** One root for the chroot checks: the shared base unpacked once, each workload's /app swapped in. */
    @TempDir
    static Path root;

    @BeforeAll
    static void unpackSharedBase() throws IOException {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        new Expected("gateway-service", 8443, 9200).image().extractLayers(List.of(0, 1), root);
        Files.createDirectories(root.resolve("proc"));
    }

    @Test
    void buildWritesOneTarballPerWorkloadAndNothingElse() throws IOException {
        try (Stream<Path> files = Files.list(IMAGES)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(workloads().map(expected -> expected.workload() + ".tar").toList());
        }
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void tarballNamesTheImageAfterItsWorkloadAndTheProjectVersion(Expected expected) {
        assertThat(expected.image().repoTags()).containsExactly("nightjar/" + expected.workload() + ":" + VERSION);
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void imageRunsAsANumericNonRootUserFromTheAppDirectory(Expected expected) {
        JsonNode config = expected.image().containerConfig();
        assertThat(config.path("User").asString()).isEqualTo("65532:65532");
        assertThat(config.path("WorkingDir").asString()).isEqualTo("/app");
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void entrypointStartsJavaWithContainerAwareFlagsAndTheWorkloadsMainClass(Expected expected) {
        List<String> entrypoint = strings(expected.image().containerConfig().path("Entrypoint"));
        assertThat(entrypoint).first().isEqualTo("/opt/java/bin/java");
        assertThat(entrypoint).contains("-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "--enable-native-access=ALL-UNNAMED")
                .anyMatch(flag -> flag.startsWith("-XX:MaxRAMPercentage="))
                .noneMatch(flag -> flag.startsWith("-Xmx") || flag.startsWith("-Xms"));
        assertThat(entrypoint.subList(entrypoint.size() - 3, entrypoint.size() - 1))
                .containsExactly("-cp", "@/app/jvm-classpath");
        assertThat(entrypoint.getLast()).matches("dev\\.nightjar\\.[a-z.]+\\.[A-Z]\\w*Application");
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void imageExposesExactlyTheAppAndManagementPorts(Expected expected) {
        JsonNode ports = expected.image().containerConfig().path("ExposedPorts");
        assertThat(ports.propertyNames())
                .containsExactlyInAnyOrderElementsOf(expected.ports().stream().map(port -> port + "/tcp").toList());
    }

    @ParameterizedTest
    @MethodSource("workloads")
    void imageCarriesTheOpenContainersLabels(Expected expected) {
        JsonNode labels = expected.image().containerConfig().path("Labels");
        assertThat(labels.path("org.opencontainers.image.title").asString()).isEqualTo(expected.workload());
        assertThat(labels.path("org.opencontainers.image.version").asString()).isEqualTo(VERSION);
        assertThat(labels.path("org.opencontainers.image.source").asString()).isNotBlank();
        assertThat(labels.path("org.opencontainers.image.description").asString()).isNotBlank();
        if (Files.exists(Path.of(System.getProperty("nightjar.images.repository", "../..")).resolve(".git"))) {
            assertThat(labels.path("org.opencontainers.image.revision").asString()).matches("[0-9a-f]{40}");
        }
    }

    /**
     * Least changing first: a code change rebuilds only the last layer, a resource change the last
     * two, a snapshot module the last three; the base below them is never rebuilt for the app. Jib leaves
     * out an empty layer: the forecaster, plain Java with no snapshot jar and no resource, has four.
     */
    @ParameterizedTest
    @MethodSource("workloads")
    void layersRunFromTheBaseThroughDependenciesToClasses(Expected expected) {
        List<List<String>> layers = expected.image().layerFiles();
        assertThat(expected.image().historyComments()).containsExactlyElementsOf(expected.springService()
                ? List.of("debian-userland", "jre", "dependencies", "snapshot-dependencies", "resources", "classes")
                : List.of("debian-userland", "jre", "dependencies", "classes"));
        assertThat(layers).hasSize(expected.springService() ? 6 : 4);
        assertLayer(layers.get(0), "userland", file -> !file.startsWith("/opt/") && !file.startsWith("/app/"));
        assertThat(layers.get(0)).contains("/etc/passwd", "/lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/libc.so.6");
        assertLayer(layers.get(1), "jre", file -> file.startsWith("/opt/java/"));
        assertThat(layers.get(1)).contains("/opt/java/bin/java", "/opt/java/lib/modules");
        assertLayer(layers.get(2), "dependencies", file -> file.equals("/app/jvm-classpath")
                || file.startsWith("/app/libs/") && file.endsWith(".jar") && !file.endsWith("-SNAPSHOT.jar"));
        assertLayer(layers.getLast(), "classes", file -> file.startsWith("/app/classes/") && file.endsWith(".class"));
        if (expected.springService()) {
            assertThat(layers.get(2)).anyMatch(file -> file.matches("/app/libs/spring-core-[0-9.]+\\.jar"));
            assertLayer(layers.get(3), "snapshot dependencies", file -> file.matches("/app/libs/[^/]+-SNAPSHOT\\.jar"));
            assertThat(layers.get(3)).contains("/app/libs/common-lib-" + VERSION + ".jar",
                    "/app/libs/contracts-" + VERSION + ".jar");
            assertLayer(layers.get(4), "resources", file -> file.startsWith("/app/resources/") && !file.endsWith(".class"));
            assertThat(layers.get(4)).anyMatch(file -> file.startsWith("/app/resources/application."));
        } else {
            // Plain Java: no Spring framework (Boot's repackaging adds only its jar-mode tools).
            assertThat(layers.get(2)).noneMatch(file -> file.matches("/app/libs/spring-(core|context|beans)-[0-9.]+\\.jar"));
        }
    }

    @Test
    void everyImageSharesOneBaseOfUserlandAndJre() {
        List<ImageTarball> images = workloads().map(Expected::image).toList();
        List<String> base = images.getFirst().diffIds().subList(0, 2);
        assertThat(images).allSatisfy(image -> assertThat(image.diffIds().subList(0, 2)).isEqualTo(base));
        assertThat(images.stream().map(image -> image.diffIds().getLast()).distinct()).hasSize(images.size());
    }

    @Test
    void jreRunsOnTheImagesOwnUserlandAsTheImageUserWithTheModulesTheServicesNeed() throws Exception {
        ProcessResult version = runInImage(List.of("/opt/java/bin/java", "-version"));
        assertThat(version.exitCode()).as(version.output()).isZero();
        assertThat(version.output()).containsPattern("version \"(2[1-9]|[3-9][0-9])");

        ProcessResult modules = runInImage(List.of("/opt/java/bin/java", "--list-modules"));
        assertThat(modules.exitCode()).as(modules.output()).isZero();
        assertThat(modules.output().lines().map(line -> line.replaceFirst("@.*", "")))
                // What jdeps finds in the services' classes and jars, EC keys for TLS, the forecaster's HTTP server.
                .contains("java.base", "java.compiler", "java.desktop", "java.instrument", "java.logging",
                        "java.management", "java.naming", "java.net.http", "java.prefs", "java.scripting",
                        "java.security.jgss", "java.security.sasl", "java.sql", "java.sql.rowset",
                        "java.transaction.xa", "java.xml", "jdk.httpserver", "jdk.jfr", "jdk.management", "jdk.net",
                        "jdk.unsupported")
                .doesNotContain("jdk.compiler", "jdk.jshell", "java.smartcardio");
    }

    /**
     * The image's own entrypoint, JVM flags and class path file, with {@code --dry-run}: the JVM
     * starts and loads the main class, so a wrong class path or a missing class fails here.
     */
    @ParameterizedTest
    @MethodSource("workloads")
    void entrypointLoadsTheMainClassInsideTheImage(Expected expected) throws Exception {
        ImageTarball image = expected.image();
        JavaBase.deleteRecursively(root.resolve("app"));
        image.extractLayers(java.util.stream.IntStream.range(2, image.diffIds().size()).boxed().toList(), root);
        List<String> command = new ArrayList<>(strings(image.containerConfig().path("Entrypoint")));
        command.add(1, "--dry-run");

        ProcessResult run = runInImage(command);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain("Error");
    }

    record ProcessResult(int exitCode, String output) {
    }

    /**
     * Runs a command inside the unpacked image, as a container runtime would: its own mount and
     * process namespaces with /proc mounted (the loader finds libjli.so through /proc/self/exe),
     * the image as root directory, and the image's user, to which only /tmp is writable.
     */
    private static ProcessResult runInImage(List<String> command) throws IOException, InterruptedException {
        List<String> chroot = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork",
                "--mount-proc=" + root.resolve("proc"), "chroot", "--userspec=65532:65532", root.toString()));
        chroot.addAll(command);
        Path output = Files.createTempFile("image-run", ".txt");
        try {
            ProcessBuilder builder = new ProcessBuilder(chroot).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().clear();
            // unshare and chroot are looked up on the host (sbin), java inside the image.
            builder.environment().putAll(Map.of("PATH", "/opt/java/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG", "C.UTF-8"));
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(PROCESS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(chroot + " ran longer than " + PROCESS_TIMEOUT_SECONDS + " s");
            }
            return new ProcessResult(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8)
                    + (process.exitValue() == 0 ? "" : "\n(unshare and chroot need root: run the build as root)"));
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private static void assertLayer(List<String> files, String role, Predicate<String> belongs) {
        assertThat(files).as("%s layer", role).isNotEmpty().allMatch(belongs, "belongs in the " + role + " layer");
    }

    private static List<String> strings(JsonNode array) {
        return array.values().stream().map(JsonNode::asString).toList();
    }
}
