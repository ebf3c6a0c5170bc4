package dev.nightjar.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Builds one docker-archive tarball per workload with Jib, from scratch and offline: no daemon,
 * no registry. Run by the build (exec-maven-plugin, see pom.xml); every argument comes from there.
 */
public final class ImageBuild {

    /** Two cores on the build machines; each image compresses its own layers on Jib's threads. */
    private static final int PARALLEL_IMAGES = 2;
    private static final long GIT_TIMEOUT_SECONDS = 10;
    private static final long IMAGE_TIMEOUT_MINUTES = 10;

    private ImageBuild() {
    }

    record Settings(Path output, Path work, String version, Path repository, String source,
                    List<String> jreModules, List<String> jvmFlags, List<Workload> workloads) {

        static Settings parse(String[] arguments) {
            Map<String, String> single = new LinkedHashMap<>();
            List<Workload> workloads = new ArrayList<>();
            for (String argument : arguments) {
                int equals = argument.indexOf('=');
                if (!argument.startsWith("--") || equals < 0) {
                    throw new IllegalArgumentException("arguments read --name=value, got: " + argument);
                }
                String name = argument.substring(2, equals);
                String value = argument.substring(equals + 1);
                if (name.equals("workload")) {
                    workloads.add(Workload.parse(value));
                } else if (single.put(name, value) != null) {
                    throw new IllegalArgumentException("--" + name + " given twice");
                }
            }
            if (workloads.isEmpty()) {
                throw new IllegalArgumentException("no --workload given");
            }
            return new Settings(Path.of(required(single, "output")), Path.of(required(single, "work")),
                    required(single, "version"), Path.of(required(single, "repository")),
                    single.getOrDefault("source", "").strip(),
                    Arrays.stream(required(single, "jre-modules").split(",")).map(String::strip).toList(),
                    Arrays.stream(required(single, "jvm-flags").strip().split("\\s+")).toList(),
                    List.copyOf(workloads));
        }

        private static String required(Map<String, String> arguments, String name) {
            String value = arguments.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("--" + name + " is required");
            }
            return value;
        }
    }

    public static void main(String[] arguments) throws Exception {
        Settings settings = Settings.parse(arguments);
        long startNanos = System.nanoTime();
        Files.createDirectories(settings.output());
        Files.createDirectories(settings.work());

        JavaBase.Layers base = JavaBase.prepare(settings.work().resolve("base"), settings.jreModules());
        log("base layers prepared (jlink, Debian userland) after %.1f s", secondsSince(startNanos));

        Map<String, String> commonLabels = new LinkedHashMap<>();
        commonLabels.put("org.opencontainers.image.version", settings.version());
        commonLabels.put("org.opencontainers.image.source", source(settings));
        gitRevision(settings.repository()).ifPresent(revision -> commonLabels.put("org.opencontainers.image.revision", revision));

        ExecutorService jibThreads = Executors.newCachedThreadPool(daemonThreads("jib"));
        ExecutorService imageThreads = Executors.newFixedThreadPool(PARALLEL_IMAGES, daemonThreads("image"));
        try {
            // Built first and alone: it fills Jib's layer cache, so the workload images reuse the
            // compressed base layers instead of compressing the JRE once per image.
            Path baseTarball = settings.work().resolve("java-base.tar");
            containerize(withBase(Jib.fromScratch(), base, commonLabels)
                            .addLabel("org.opencontainers.image.title", "java-base")
                            .addLabel("org.opencontainers.image.description", "The Java runtime and Debian userland the workload images share."),
                    baseTarball, "nightjar/java-base:" + settings.version(), settings.work(), jibThreads);
            log("base image %s: %s in %.1f s", baseTarball, megabytes(Files.size(baseTarball)), secondsSince(startNanos));

            List<Future<String>> images = new ArrayList<>();
            for (Workload workload : settings.workloads()) {
                images.add(imageThreads.submit(() -> buildWorkloadImage(workload, base, commonLabels, settings, jibThreads)));
            }
            for (Future<String> image : images) {
                log("%s", image.get(IMAGE_TIMEOUT_MINUTES, TimeUnit.MINUTES));
            }
        } finally {
            imageThreads.shutdownNow();
            jibThreads.shutdownNow();
        }
        log("%d images in %s after %.1f s", settings.workloads().size(), settings.output(), secondsSince(startNanos));
    }

    private static String buildWorkloadImage(Workload workload, JavaBase.Layers base, Map<String, String> commonLabels,
                                             Settings settings, ExecutorService jibThreads) throws Exception {
        long startNanos = System.nanoTime();
        WorkloadApp app = WorkloadApp.explode(workload, settings.work().resolve("apps").resolve(workload.name()));
        List<String> entrypoint = new ArrayList<>();
        entrypoint.add(JavaBase.JAVA_HOME.resolve("bin/java").toString());
        entrypoint.addAll(settings.jvmFlags());
        entrypoint.addAll(List.of("-cp", "@" + WorkloadApp.CLASSPATH_FILE, app.mainClass()));

        Set<Port> ports = new LinkedHashSet<>();
        workload.ports().forEach(port -> ports.add(Port.tcp(port)));
        JibContainerBuilder builder = withBase(Jib.fromScratch(), base, commonLabels)
                .addLabel("org.opencontainers.image.title", workload.name())
                .addLabel("org.opencontainers.image.description", app.description())
                .setExposedPorts(ports)
                .setEntrypoint(entrypoint);
        app.layers().forEach(builder::addFileEntriesLayer);

        Path tarball = settings.output().resolve(workload.name() + ".tar");
        String reference = "nightjar/" + workload.name() + ":" + settings.version();
        containerize(builder, tarball, reference, settings.work(), jibThreads);
        return String.format(Locale.ROOT, "%-20s %s  %s in %.1f s", workload.name(), reference,
                megabytes(Files.size(tarball)), secondsSince(startNanos));
    }

    /** What every image shares: the base layers, the user, the working directory, the environment. */
    private static JibContainerBuilder withBase(JibContainerBuilder builder, JavaBase.Layers base,
                                                Map<String, String> labels) {
        String uid = Integer.toString(JavaBase.NONROOT_ID);
        return builder
                .setFormat(ImageFormat.Docker)
                .setPlatforms(Set.of(new Platform(JavaBase.debianArchitecture(), "linux")))
                .addFileEntriesLayer(base.userland())
                .addFileEntriesLayer(base.runtime())
                .setUser(uid + ":" + uid)
                .setWorkingDirectory(WorkloadApp.APP_ROOT)
                .addEnvironmentVariable("JAVA_HOME", JavaBase.JAVA_HOME.toString())
                .addEnvironmentVariable("PATH", JavaBase.JAVA_HOME.resolve("bin") + ":/usr/bin:/bin")
                // glibc's built-in UTF-8 locale: file names are decoded as UTF-8, no locale files needed.
                .addEnvironmentVariable("LANG", "C.UTF-8")
                .setLabels(new LinkedHashMap<>(labels));
    }

    private static void containerize(JibContainerBuilder builder, Path tarball, String reference, Path work,
                                     ExecutorService jibThreads)
            throws InvalidImageReferenceException, InterruptedException, RegistryException, IOException,
            CacheDirectoryCreationException, ExecutionException {
        Containerizer containerizer = Containerizer.to(TarImage.at(tarball).named(reference))
                .setOfflineMode(true)
                .setApplicationLayersCache(work.resolve("jib-cache"))
                .setBaseImageLayersCache(work.resolve("jib-base-cache"))
                .setExecutorService(jibThreads)
                .setToolName("jib-core")
                .addEventHandler(LogEvent.class, event -> {
                    if (event.getLevel() == LogEvent.Level.ERROR || event.getLevel() == LogEvent.Level.WARN) {
                        log("jib %s: %s", event.getLevel(), event.getMessage());
                    }
                });
        builder.containerize(containerizer);
    }

    /** -Dimages.source, else the git remote (without any credentials in it), else the project name. */
    private static String source(Settings settings) {
        if (!settings.source().isEmpty()) {
            return settings.source();
        }
        return git(settings.repository(), "config", "--get", "remote.origin.url")
                .map(url -> url.replaceFirst("^(\\w+://)[^/@]*@", "$1"))
                .orElse("nightjar");
    }

    private static Optional<String> gitRevision(Path repository) {
        return git(repository, "rev-parse", "HEAD").filter(revision -> revision.matches("[0-9a-f]{40,64}"));
    }

    /** A git answer, or empty when git, the repository or the answer is missing. */
    private static Optional<String> git(Path repository, String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(GIT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            String answer = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.exitValue() == 0 && !answer.isEmpty() ? Optional.of(answer) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "images-" + prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static void log(String format, Object... arguments) {
        System.out.println("[images] " + String.format(Locale.ROOT, format, arguments));
    }
}
