package dev.nightjar.platform.postgres;

import dev.nightjar.platform.process.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Debian packages HA mode runs on: installed by the project's script when any is missing, never assumed. */
final class HaPackages {

    private static final List<Path> PROGRAMS = List.of(PatroniNode.PATRONI, LocalEtcd.BINARY,
            PatroniNode.POSTGRES_BIN.resolve("postgres"), PatroniNode.POSTGRES_BIN.resolve("pg_rewind"));

    private HaPackages() {
    }

    static boolean installed() {
        return PROGRAMS.stream().allMatch(Files::isExecutable);
    }

    /** Runs {@code installer} (apt-get) unless every program is there already. HA mode needs root in any case. */
    static void ensureInstalled(Path installer, Path log) {
        if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
            throw new IllegalStateException("HA mode runs Patroni as the postgres OS user and installs Debian packages"
                    + " (" + installer.getFileName() + "): run it as root");
        }
        if (installed()) {
            return;
        }
        Processes.run(List.of("bash", installer.toString()), installer.getParent(), log);
        if (!installed()) {
            throw new IllegalStateException(installer + " ran but these are still missing: "
                    + PROGRAMS.stream().filter(program -> !Files.isExecutable(program)).toList() + "; see " + log);
        }
    }
}
