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
 * directories that the postgres OS user, which runs Patroni, can enter (JUnit's temporary directories are
 * owner-only).
 */
public final class ItEnvironment {

    public static final Ports PORTS = new Ports(21443, portFromEnv("NIGHTJAR_IT_BASE_PORT", 21100));

    private ItEnvironment() {
    }

    /**
     * A fresh directory under the system's temporary directory, searchable by every user: the checkout may
     * lie below a directory the postgres user cannot enter (root's home, say), where Patroni could not run.
     */
    public static Path directory(String name) {
        Path root = Path.of(System.getProperty("java.io.tmpdir"), "nightjar-it-" + PORTS.base()).toAbsolutePath();
        Path dir = root.resolve(name);
        try {
            FileTrees.deleteRecursively(dir);
            Files.createDirectories(dir);
            for (Path path : new Path[] {root, dir}) {
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
