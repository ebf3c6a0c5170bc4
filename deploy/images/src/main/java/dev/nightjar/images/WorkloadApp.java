package dev.nightjar.images;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * A workload's Spring Boot runnable jar taken apart into the four layers that change at different
 * rates: released dependencies, snapshot dependencies, resources, classes. The image starts the
 * main class on a plain class path, in the jar's own class path order, without the Boot loader.
 */
record WorkloadApp(String mainClass, String description, List<FileEntriesLayer> layers) {

    static final AbsoluteUnixPath APP_ROOT = AbsoluteUnixPath.get("/app");
    /** A java launcher argument file holding the class path, read with {@code -cp @/app/jvm-classpath}. */
    static final AbsoluteUnixPath CLASSPATH_FILE = APP_ROOT.resolve("jvm-classpath");

    private static final String CLASSES_PREFIX = "BOOT-INF/classes/";
    private static final Pattern CLASSPATH_INDEX_LINE = Pattern.compile("- \"(BOOT-INF/lib/[^\"/]+\\.jar)\"");
    /** A limit on what one jar may unpack to, against a corrupt or hostile archive. */
    private static final long MAX_UNPACKED_BYTES = 2L * 1024 * 1024 * 1024;

    static WorkloadApp explode(Workload workload, Path directory) throws IOException {
        Path unpacked = unpackIfChanged(workload.runnableJar(), directory);
        try (JarFile jar = new JarFile(workload.runnableJar().toFile())) {
            Manifest manifest = jar.getManifest();
            String mainClass = manifest == null ? null : manifest.getMainAttributes().getValue("Start-Class");
            if (mainClass == null) {
                throw new IllegalStateException(workload.runnableJar() + " is no Spring Boot runnable jar (no Start-Class)");
            }
            List<String> classpathJars = classpathIndex(jar, manifest.getMainAttributes());
            return new WorkloadApp(mainClass, description(jar, workload), layers(unpacked, classpathJars));
        }
    }

    private static List<FileEntriesLayer> layers(Path unpacked, List<String> classpathJars) throws IOException {
        FileEntriesLayer.Builder dependencies = FileEntriesLayer.builder().setName("dependencies");
        FileEntriesLayer.Builder snapshots = FileEntriesLayer.builder().setName("snapshot-dependencies");
        List<String> classpath = new ArrayList<>(List.of(APP_ROOT.resolve("resources").toString(),
                APP_ROOT.resolve("classes").toString()));
        for (String jarName : classpathJars) {
            Path source = unpacked.resolve("lib").resolve(jarName);
            AbsoluteUnixPath target = APP_ROOT.resolve("libs").resolve(jarName);
            (jarName.endsWith("-SNAPSHOT.jar") ? snapshots : dependencies).addEntry(JavaBase.entry(source, target));
            classpath.add(target.toString());
        }
        // The class path changes only with the dependency list, so it travels with the dependencies.
        Path classpathFile = JavaBase.writeIfChanged(unpacked.resolve("jvm-classpath"), String.join(":", classpath) + "\n");
        dependencies.addEntry(JavaBase.entry(classpathFile, CLASSPATH_FILE));
        return List.of(dependencies.build(), snapshots.build(),
                JavaBase.directoryLayer("resources", unpacked.resolve("resources"), APP_ROOT.resolve("resources")),
                JavaBase.directoryLayer("classes", unpacked.resolve("classes"), APP_ROOT.resolve("classes")));
    }

    /**
     * Unpacks BOOT-INF into lib/, resources/ and classes/ unless this very jar (path, size, time)
     * was unpacked last time: unchanged files keep their times and Jib reuses their layers.
     */
    private static Path unpackIfChanged(Path runnableJar, Path directory) throws IOException {
        String stamp = runnableJar.toAbsolutePath() + "|" + Files.size(runnableJar) + "|"
                + Files.getLastModifiedTime(runnableJar).toMillis();
        Path stampFile = directory.resolve("unpacked.stamp");
        if (Files.exists(stampFile) && Files.readString(stampFile).equals(stamp)) {
            return directory;
        }
        JavaBase.deleteRecursively(directory);
        Files.createDirectories(directory.resolve("lib"));
        Files.createDirectories(directory.resolve("resources"));
        Files.createDirectories(directory.resolve("classes"));
        long unpackedBytes = 0;
        try (JarFile jar = new JarFile(runnableJar.toFile())) {
            for (JarEntry entry : Collections.list(jar.entries())) {
                Path target = targetOf(entry, directory);
                if (target == null || entry.isDirectory()) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream input = jar.getInputStream(entry)) {
                    unpackedBytes += Files.copy(input, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (unpackedBytes > MAX_UNPACKED_BYTES) {
                    throw new IllegalStateException(runnableJar + " unpacks to more than " + MAX_UNPACKED_BYTES + " bytes");
                }
            }
        }
        Files.writeString(stampFile, stamp);
        return directory;
    }

    private static Path targetOf(ZipEntry entry, Path directory) {
        String name = entry.getName();
        Path target;
        if (name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar")) {
            target = directory.resolve("lib").resolve(name.substring("BOOT-INF/lib/".length()));
        } else if (name.startsWith(CLASSES_PREFIX) && name.length() > CLASSES_PREFIX.length()) {
            String relative = name.substring(CLASSES_PREFIX.length());
            target = directory.resolve(relative.endsWith(".class") ? "classes" : "resources").resolve(relative);
        } else {
            return null;
        }
        Path normalized = target.normalize();
        if (!normalized.startsWith(directory)) {
            throw new IllegalStateException("jar entry escapes its directory: " + name);
        }
        return normalized;
    }

    /** Jar names from BOOT-INF/classpath.idx, in order: the order Spring Boot's own launcher uses. */
    private static List<String> classpathIndex(JarFile jar, Attributes attributes) throws IOException {
        String indexName = attributes.getValue("Spring-Boot-Classpath-Index");
        ZipEntry index = indexName == null ? null : jar.getEntry(indexName);
        if (index == null) {
            throw new IllegalStateException(jar.getName() + " has no class path index (Spring-Boot-Classpath-Index)");
        }
        List<String> jars = new ArrayList<>();
        try (InputStream input = jar.getInputStream(index)) {
            for (String line : new String(input.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher matcher = CLASSPATH_INDEX_LINE.matcher(line.strip());
                if (matcher.matches()) {
                    jars.add(matcher.group(1).substring("BOOT-INF/lib/".length()));
                } else if (!line.isBlank()) {
                    throw new IllegalStateException("unexpected line in " + indexName + ": " + line);
                }
            }
        }
        return jars;
    }

    /** The module's own pom description, which Maven packs into the jar. */
    private static String description(JarFile jar, Workload workload) throws IOException {
        String pomName = "META-INF/maven/dev.nightjar/" + workload.name() + "/pom.xml";
        ZipEntry pom = jar.getEntry(pomName);
        if (pom == null) {
            throw new IllegalStateException(jar.getName() + " lacks " + pomName);
        }
        try (InputStream input = jar.getInputStream(pom)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder().parse(input);
            for (Node node = document.getDocumentElement().getFirstChild(); node != null; node = node.getNextSibling()) {
                if ("description".equals(node.getNodeName())) {
                    return node.getTextContent().strip();
                }
            }
        } catch (javax.xml.parsers.ParserConfigurationException | org.xml.sax.SAXException e) {
            throw new IllegalStateException("cannot read " + pomName + " in " + jar.getName(), e);
        }
        throw new IllegalStateException(workload.name() + "'s pom.xml has no <description>");
    }
}
