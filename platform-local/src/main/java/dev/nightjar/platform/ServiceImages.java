package dev.nightjar.platform;

import dev.nightjar.platform.process.FileTrees;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runnable images of the services: each executable jar extracted (application jar plus {@code lib/}) so the JVM
 * can keep a cache of its classes across starts, per instance, next to the image. A start without one writes it
 * when the service exits cleanly ({@code ./nightjar down}); every later start reads it.
 * <ul>
 * <li>By default a dynamic class-data-sharing archive: the classes loaded.</li>
 * <li>With {@code NIGHTJAR_CLASS_CACHE=aot} on JDK 25 or later, an AOT cache (JEP 483, 514, 515): the classes
 *     loaded and linked, and the method profiles. Measured on the local platform (docs/performance.md): with the
 *     launcher's C1 the fleet is healthy 13 s sooner and its first minutes of payments are no better; with C2
 *     ({@code NIGHTJAR_JAVA_OPTIONS}) a trained cache brings C2's cheaper code within five minutes of the start,
 *     where C2 without it needs ten to twenty, at the price of a slower first minute than C1's. The first
 *     {@code down} after a build takes about two minutes longer while nine JVMs assemble their caches on two
 *     cores; so it is a choice, not the default.</li>
 * </ul>
 * An image is re-extracted, and its caches dropped, whenever the jar it came from changes. A cache that does not
 * fit (another JDK, say) is ignored by the JVM, which then starts as it would without.
 */
final class ServiceImages {

    /** The option that has a JVM record an AOT cache at its exit, to the file that follows it. */
    private static final String RECORD_AOT_CACHE = "-XX:AOTCacheOutput=";

    private final PlatformLayout layout;
    private final ClassCache cache;

    ServiceImages(PlatformLayout layout) {
        this.layout = layout;
        this.cache = classCache(Runtime.version().feature(), System.getenv("NIGHTJAR_CLASS_CACHE"));
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
                try (Stream<Path> caches = Files.list(image.getParent())) {
                    for (Path cache : caches.filter(p -> p.getFileName().toString().startsWith(member.module() + ".")
                            && (p.toString().endsWith(".jsa") || p.toString().endsWith(".aot"))).toList()) {
                        Files.deleteIfExists(cache);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + member.module(), e);
        }
        return image.resolve(member.module() + "-exec.jar");
    }

    /** Which cache of classes the services keep: a class-data archive, or an AOT cache from JDK 25 on. */
    enum ClassCache { AOT, CDS }

    /** The class-data archive, unless {@code NIGHTJAR_CLASS_CACHE} (aot, cds) chooses; aot needs JDK 25. */
    static ClassCache classCache(int jdkFeature, String chosen) {
        if (chosen == null || chosen.isBlank()) {
            return ClassCache.CDS;
        }
        ClassCache cache = ClassCache.valueOf(chosen.strip().toUpperCase(java.util.Locale.ROOT));
        if (cache == ClassCache.AOT && jdkFeature < 25) {
            throw new IllegalArgumentException("NIGHTJAR_CLASS_CACHE=aot needs JDK 25 or later; this is JDK " + jdkFeature);
        }
        return cache;
    }

    /**
     * True when the running instance writes an AOT cache when it exits: it then needs time to exit (the JVM dumps
     * what it loaded and a second JVM assembles the cache, 10-20 s of CPU for a service). Told by the process's
     * own command line, since {@code down} may run in a shell without the {@code NIGHTJAR_CLASS_CACHE} that
     * started it; by this launcher's setting only when the command line cannot be read.
     */
    boolean writesCacheAtExit(FleetMember member, ProcessHandle process) {
        return process.info().arguments()
                .map(ServiceImages::writesCacheAtExit)
                .orElse(cache == ClassCache.AOT && !Files.isRegularFile(cacheFile(member, ClassCache.AOT)));
    }

    /** Whether a JVM started with these arguments records an AOT cache at its exit. */
    static boolean writesCacheAtExit(String[] arguments) {
        return Arrays.stream(arguments).anyMatch(argument -> argument.startsWith(RECORD_AOT_CACHE));
    }

    /** Where the instance's cache of the given kind lives, beside the images. */
    private Path cacheFile(FleetMember member, ClassCache kind) {
        return layout.state().resolve("apps")
                .resolve(member.module() + "." + member.instance() + (kind == ClassCache.AOT ? ".aot" : ".jsa"));
    }

    /** JVM options that write the instance's class cache at a clean exit when it has none, and read it when it has. */
    List<String> sharingOptions(FleetMember member) {
        List<String> options = new ArrayList<>();
        if (cache == ClassCache.AOT) {
            Path aot = cacheFile(member, ClassCache.AOT);
            // JDK 25 cannot read one cache and write another in the same run: a run without a cache trains
            options.add(Files.isRegularFile(aot) ? "-XX:AOTCache=" + aot : RECORD_AOT_CACHE + aot);
            return options;
        }
        Path archive = cacheFile(member, ClassCache.CDS);
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
