package dev.nightjar.platform;

import dev.nightjar.platform.process.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * What platform-local's integration tests share: their ports, clear of a developer's platform (9100) and the
 * end-to-end fleet (19100), moved with NIGHTJAR_IT_BASE_PORT when two checkouts test at once; and working
 * directories that the postgres OS user (Patroni, and zonky's initdb as root) can enter, which JUnit's
 * owner-only temporary directories are not.
 */
public final class ItEnvironment {

    public static final Ports PORTS = new Ports(21443, portFromEnv("NIGHTJAR_IT_BASE_PORT", 21100));

    private ItEnvironment() {
    }

    /** A fresh directory under {@code target/it}, searchable by every user. */
    public static Path directory(String name) {
        Path target = Path.of("target").toAbsolutePath();
        Path dir = target.resolve("it").resolve(name);
        try {
            FileTrees.deleteRecursively(dir);
            Files.createDirectories(dir);
            for (Path path : new Path[] {target, target.resolve("it"), dir}) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    private static int portFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
