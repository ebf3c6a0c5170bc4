package dev.nightjar.platform;

import dev.nightjar.platform.process.FileTrees;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runnable images of the services: each executable jar extracted (application jar plus {@code lib/}) so
 * the JVM can keep a class-data-sharing archive of it. The archive is written when a service exits
 * cleanly and read at every later start, which roughly halves start-up. An image is re-extracted, and
 * its archive dropped, whenever the jar it came from changes.
 */
final class ServiceImages {

    private final PlatformLayout layout;

    ServiceImages(PlatformLayout layout) {
        this.layout = layout;
    }

    /** The extracted application jar to run for {@code member}, extracting it first if it is stale. */
    Path prepare(FleetMember member) {
        // two members may run one module (the two acquirers): one extraction at a time per module
        synchronized (EXTRACTING.computeIfAbsent(member.module(), module -> new Object())) {
            return extract(member);
        }
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Object> EXTRACTING = new java.util.concurrent.ConcurrentHashMap<>();

    private Path extract(FleetMember member) {
        Path jar = layout.serviceJar(member);
        Path image = layout.state().resolve("apps").resolve(member.module());
        Path stamp = image.resolve(".source");
        String source = stampOf(jar);
        try {
            if (!Files.exists(stamp) || !Files.readString(stamp).equals(source)) {
                FileTrees.deleteRecursively(image);
                Files.createDirectories(image);
                Processes.run(List.of(Processes.javaExecutable(), "-Djarmode=tools", "-jar", jar.toString(),
                        "extract", "--destination", image.toString(), "--force"), layout.state(), layout.log("extract"));
                Files.writeString(stamp, source);
                try (Stream<Path> archives = Files.list(image.getParent())) {
                    for (Path archive : archives.filter(p -> p.getFileName().toString().startsWith(member.module() + ".")
                            && p.toString().endsWith(".jsa")).toList()) {
                        Files.deleteIfExists(archive);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + member.module(), e);
        }
        return image.resolve(member.module() + "-exec.jar");
    }

    /** JVM options that create the instance's class-data archive at exit and use it at start. */
    List<String> sharingOptions(FleetMember member) {
        Path archive = layout.state().resolve("apps").resolve(member.module() + "." + member.instance() + ".jsa");
        List<String> options = new ArrayList<>();
        options.add("-XX:SharedArchiveFile=" + archive);
        options.add("-XX:+AutoCreateSharedArchive");
        options.add("-Xlog:cds=off");
        options.add("-Xlog:cds+dynamic=off");
        return options;
    }

    private static String stampOf(Path jar) {
        try {
            return jar.toAbsolutePath() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
