package dev.nightjar.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A docker-archive image tarball read back: its manifest entry, its config and its layers. */
final class ImageTarball {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Layers are listed once per digest: the images share their base layers. */
    private static final Map<String, List<String>> FILES_BY_LAYER = new ConcurrentHashMap<>();

    private final Path tarball;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageTarball(Path tarball, JsonNode manifest, JsonNode config) {
        this.tarball = tarball;
        this.manifest = manifest;
        this.config = config;
    }

    static ImageTarball read(Path tarball) {
        try (TarFile tar = new TarFile(tarball)) {
            JsonNode manifests = JSON.readTree(member(tar, "manifest.json"));
            if (manifests.size() != 1) {
                throw new IllegalStateException(tarball + " holds " + manifests.size() + " images, not one");
            }
            JsonNode manifest = manifests.get(0);
            JsonNode config = JSON.readTree(member(tar, manifest.path("Config").asString()));
            return new ImageTarball(tarball, manifest, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> repoTags() {
        return manifest.path("RepoTags").values().stream().map(JsonNode::asString).toList();
    }

    /** The "config" object of the image configuration: User, Entrypoint, ExposedPorts, Labels, ... */
    JsonNode containerConfig() {
        return config.path("config");
    }

    List<String> layerNames() {
        return manifest.path("Layers").values().stream().map(JsonNode::asString).toList();
    }

    List<String> diffIds() {
        return config.path("rootfs").path("diff_ids").values().stream().map(JsonNode::asString).toList();
    }

    /** The builder's name for each layer, from the image history. */
    List<String> historyComments() {
        return config.path("history").values().stream().map(entry -> entry.path("comment").asString()).toList();
    }

    /** Each layer's regular files, as absolute paths, in layer order. */
    List<List<String>> layerFiles() {
        List<List<String>> files = new ArrayList<>();
        for (String layer : layerNames()) {
            files.add(FILES_BY_LAYER.computeIfAbsent(layer, this::listFiles));
        }
        return files;
    }

    /** Unpacks the layers with these indexes into {@code root}, keeping permission bits. */
    void extractLayers(List<Integer> indexes, Path root) throws IOException {
        List<String> names = layerNames();
        try (TarFile tar = new TarFile(tarball)) {
            for (int index : indexes) {
                try (TarArchiveInputStream layer = layerStream(tar, names.get(index))) {
                    for (TarArchiveEntry entry = layer.getNextEntry(); entry != null; entry = layer.getNextEntry()) {
                        Path target = root.resolve(entry.getName().replaceFirst("^/+", "")).normalize();
                        if (!target.startsWith(root)) {
                            throw new IllegalStateException("layer entry escapes the root: " + entry.getName());
                        }
                        if (entry.isDirectory()) {
                            Files.createDirectories(target);
                        } else if (entry.isFile()) {
                            Files.createDirectories(target.getParent());
                            Files.copy(layer, target, StandardCopyOption.REPLACE_EXISTING);
                        } else {
                            throw new IllegalStateException("unexpected entry type in layer: " + entry.getName());
                        }
                        Files.setPosixFilePermissions(target, permissions(entry.getMode()));
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return tarball.getFileName().toString();
    }

    private List<String> listFiles(String layerName) {
        List<String> files = new ArrayList<>();
        try (TarFile tar = new TarFile(tarball); TarArchiveInputStream layer = layerStream(tar, layerName)) {
            for (TarArchiveEntry entry = layer.getNextEntry(); entry != null; entry = layer.getNextEntry()) {
                if (!entry.isDirectory()) {
                    files.add("/" + entry.getName().replaceFirst("^/+", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(files);
    }

    private static TarArchiveInputStream layerStream(TarFile tar, String name) throws IOException {
        TarArchiveEntry entry = entry(tar, name);
        return new TarArchiveInputStream(new GZIPInputStream(tar.getInputStream(entry), 1 << 16));
    }

    private static byte[] member(TarFile tar, String name) throws IOException {
        try (InputStream input = tar.getInputStream(entry(tar, name))) {
            return input.readAllBytes();
        }
    }

    private static TarArchiveEntry entry(TarFile tar, String name) {
        return tar.getEntries().stream().filter(entry -> entry.getName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " in the tarball"));
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }
}
