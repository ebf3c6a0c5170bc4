package dev.nightjar.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The base every image shares, made on the build machine and never pulled: a Debian userland
 * layer (the C library and friends, from the installed Debian packages) and a JRE layer linked
 * by jlink from the JDK that runs the build.
 */
final class JavaBase {

    static final AbsoluteUnixPath JAVA_HOME = AbsoluteUnixPath.get("/opt/java");
    static final int NONROOT_ID = 65_532;

    /** Jib's reproducible timestamp: layers depend on content, not on when they were built. */
    private static final Instant FIXED_TIME = FileEntriesLayer.DEFAULT_MODIFICATION_TIME;

    /**
     * Debian packages the JRE needs at run time. libc6 (the loader, libc, libm, libdl, libpthread,
     * librt: every JDK library links them) and libgcc-s1 (glibc loads it to unwind a cancelled or
     * exiting thread). zlib1g is for native libraries the services unpack at run time; Temurin
     * bundles its own zlib. Java has its own time zone rules (lib/tzdb.dat) and CA store
     * (lib/security/cacerts), so tzdata is left out; Debian's CA bundle is added for non-Java use.
     */
    private static final List<String> DEBIAN_PACKAGES = List.of("libc6", "libgcc-s1", "zlib1g");
    private static final Path CA_BUNDLE = Path.of("/etc/ssl/certs/ca-certificates.crt");
    private static final List<String> JLINK_OPTIONS = List.of(
            "--strip-debug", "--no-man-pages", "--no-header-files", "--generate-cds-archive");

    private static final Set<String> MAY_BE_FOLDED = Set.of("jdk.crypto.ec");
    private static final long JLINK_TIMEOUT_MINUTES = 5;

    private JavaBase() {
    }

    record Layers(FileEntriesLayer userland, FileEntriesLayer runtime) {
    }

    static Layers prepare(Path workDirectory, List<String> jreModules) throws IOException {
        Path jre = linkRuntime(workDirectory.resolve("jre"), jreModules);
        return new Layers(userland(workDirectory.resolve("userland")), directoryLayer("jre", jre, JAVA_HOME));
    }

    /** Runs the build JDK's jlink, unless it already linked the same modules into target. */
    private static Path linkRuntime(Path jre, List<String> requestedModules) throws IOException {
        List<String> modules = availableModules(requestedModules);
        String stamp = String.join("\n", System.getProperty("java.home"), Runtime.version().toString(),
                String.join(",", modules), String.join(" ", JLINK_OPTIONS));
        Path stampFile = jre.resolveSibling("jre.stamp");
        if (Files.isDirectory(jre) && Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return jre;
        }
        deleteRecursively(jre);
        Files.deleteIfExists(stampFile);
        // A separate jlink process: run inside Maven's JVM, jlink wrote one of two different
        // lib/modules files from run to run; as its own process it writes the same bytes every time.
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new IllegalStateException(jlink + " is missing: run Maven on a full JDK 21+ (JAVA_HOME), not a JRE");
        }
        List<String> command = new ArrayList<>(List.of(jlink.toString(), "--add-modules", String.join(",", modules),
                "--output", jre.toString()));
        command.addAll(JLINK_OPTIONS);
        Path log = Files.createDirectories(jre.getParent()).resolve("jlink.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(JLINK_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("jlink ran longer than " + JLINK_TIMEOUT_MINUTES + " minutes: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while jlink ran", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("jlink failed (" + process.exitValue() + "): " + command + "\n"
                    + Files.readString(log));
        }
        Files.writeString(stampFile, stamp);
        return jre;
    }

    /**
     * The requested modules this JDK has. Only modules that newer JDKs fold into others may be
     * missing (JDK 22 moved jdk.crypto.ec's provider into java.base and deprecated the module); any
     * other absence is a mistake.
     */
    private static List<String> availableModules(List<String> requested) {
        Set<String> present = new LinkedHashSet<>();
        java.lang.module.ModuleFinder.ofSystem().findAll()
                .forEach(reference -> present.add(reference.descriptor().name()));
        List<String> missing = requested.stream()
                .filter(module -> !present.contains(module) && !MAY_BE_FOLDED.contains(module)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("this JDK (" + System.getProperty("java.home")
                    + ") lacks the JRE modules " + missing + "; fix images.jreModules or use a full JDK 21+");
        }
        return requested.stream().filter(present::contains).toList();
    }

    private static FileEntriesLayer userland(Path generated) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("debian-userland");
        String architecture = debianArchitecture();
        for (String debianPackage : DEBIAN_PACKAGES) {
            for (Path file : sharedLibraries(debianPackage, architecture)) {
                layer.addEntry(entry(file, AbsoluteUnixPath.fromPath(file)));
            }
            Path copyright = Path.of("/usr/share/doc", debianPackage, "copyright");
            if (Files.isRegularFile(copyright)) {
                layer.addEntry(entry(copyright, AbsoluteUnixPath.fromPath(copyright)));
            }
        }
        if (!Files.isRegularFile(CA_BUNDLE)) {
            throw new IllegalStateException(CA_BUNDLE + " is missing; install it: apt-get install ca-certificates");
        }
        layer.addEntry(entry(CA_BUNDLE, AbsoluteUnixPath.fromPath(CA_BUNDLE)));

        Files.createDirectories(generated.resolve("etc"));
        Path emptyDirectory = Files.createDirectories(generated.resolve("empty"));
        // The only user; its home is /tmp, the one place a read-only root filesystem lets it write.
        layer.addEntry(entry(writeIfChanged(generated.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\n"
                        + "nonroot:x:" + NONROOT_ID + ":" + NONROOT_ID + ":nonroot:/tmp:/sbin/nologin\n"),
                AbsoluteUnixPath.get("/etc/passwd")));
        layer.addEntry(entry(writeIfChanged(generated.resolve("etc/group"),
                "root:x:0:\nnonroot:x:" + NONROOT_ID + ":\n"), AbsoluteUnixPath.get("/etc/group")));
        layer.addEntry(entry(writeIfChanged(generated.resolve("etc/nsswitch.conf"),
                "passwd: files\ngroup: files\nhosts: files dns\n"), AbsoluteUnixPath.get("/etc/nsswitch.conf")));
        // Jib writes no sticky bit; /tmp is an emptyDir in the chart and the image has one user.
        layer.addEntry(new FileEntry(emptyDirectory, AbsoluteUnixPath.get("/tmp"),
                FilePermissions.fromOctalString("777"), FIXED_TIME));
        return layer.build();
    }

    /** The package's shared libraries in the loader's directories, as dpkg recorded them. */
    private static List<Path> sharedLibraries(String debianPackage, String architecture) throws IOException {
        Path list = Path.of("/var/lib/dpkg/info", debianPackage + ":" + architecture + ".list");
        if (!Files.isRegularFile(list)) {
            list = Path.of("/var/lib/dpkg/info", debianPackage + ".list");
        }
        if (!Files.isRegularFile(list)) {
            throw new IllegalStateException("Debian package " + debianPackage + " is not installed (no " + list
                    + "); the image base takes its files from the build machine: apt-get install " + debianPackage);
        }
        List<Path> libraries = new ArrayList<>();
        for (String line : Files.readAllLines(list)) {
            Path path = Path.of(line);
            Path parent = path.getParent();
            String name = path.getFileName() == null ? "" : path.getFileName().toString();
            boolean inLoaderDirectory = parent != null && (parent.toString().equals("/lib64")
                    || parent.toString().matches("(/usr)?/lib/[a-z0-9_]+-linux-gnu"));
            if (inLoaderDirectory && name.contains(".so") && Files.isRegularFile(path)) {
                libraries.add(path);
            }
        }
        if (libraries.isEmpty()) {
            throw new IllegalStateException("Debian package " + debianPackage + " lists no shared library in " + list);
        }
        return libraries;
    }

    /** Debian names the two architectures the way OCI does. */
    static String debianArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64" -> "arm64";
            default -> throw new IllegalStateException("no Debian architecture known for " + System.getProperty("os.arch"));
        };
    }

    /** Every file under {@code source}, at the same relative path under {@code target}, modes kept. */
    static FileEntriesLayer directoryLayer(String name, Path source, AbsoluteUnixPath target) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                layer.addEntry(entry(file, target.resolve(source.relativize(file).toString())));
            }
        }
        return layer.build();
    }

    /** A file entry owned by root, with the source's permission bits (so bin/java stays executable). */
    static FileEntry entry(Path source, AbsoluteUnixPath target) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(source);
            return new FileEntry(source, target, FilePermissions.fromPosixFilePermissions(permissions), FIXED_TIME);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the file's modification time when its content is unchanged, so Jib's layer cache hits. */
    static Path writeIfChanged(Path file, String content) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS) || !Files.readString(file).equals(content)) {
            Files.writeString(file, content);
        }
        return file;
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
