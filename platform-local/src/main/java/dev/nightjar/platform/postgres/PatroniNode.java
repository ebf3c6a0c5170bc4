package dev.nightjar.platform.postgres;

import dev.nightjar.platform.StateFiles;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Patroni node: a Patroni process (run as the {@code postgres} OS user, as Patroni and PostgreSQL
 * require) that runs and supervises one PostgreSQL 15 server. Everything of the node lives in its home
 * directory (config, data, socket, Patroni's log), which is also the working directory of its processes,
 * so what a killed node leaves behind is found by {@link DirectoryProcesses}.
 */
final class PatroniNode {

    static final Path PATRONI = Path.of("/usr/bin/patroni");
    static final Path POSTGRES_BIN = Path.of("/usr/lib/postgresql/15/bin");
    static final String OS_USER = "postgres";

    private static final Duration LEFTOVER_EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final Path home;
    private final int postgresPort;
    private final int restApiPort;
    private final Path logFile;
    private final PidFile pidFile;

    PatroniNode(String name, Path home, int postgresPort, int restApiPort, Path logFile, Path pidFile) {
        this.name = name;
        this.home = home.toAbsolutePath().normalize();
        this.postgresPort = postgresPort;
        this.restApiPort = restApiPort;
        this.logFile = logFile;
        this.pidFile = new PidFile(pidFile);
    }

    String name() {
        return name;
    }

    int postgresPort() {
        return postgresPort;
    }

    int restApiPort() {
        return restApiPort;
    }

    Path home() {
        return home;
    }

    Path dataDir() {
        return home.resolve("data");
    }

    Path logFile() {
        return logFile;
    }

    /** The running Patroni process, if the pid file names a live process working in this node's home. */
    Optional<ProcessHandle> patroni() {
        return pidFile.live().filter(process -> DirectoryProcesses.worksIn(process, home));
    }

    Optional<ProcessHandle> postmaster() {
        return Postmasters.of(dataDir());
    }

    /**
     * Starts Patroni unless it runs, with {@code config} as its configuration file. A node whose Patroni died
     * is restarted whole: its postmaster and backends, if any survived, are killed first, as when a lost
     * machine comes back. A node whose Patroni lives but whose postmaster died is left to Patroni, which
     * restarts PostgreSQL itself; only the dead postmaster's orphaned backends, which would keep the new one
     * from starting, are killed. Returns whether Patroni was started.
     */
    boolean start(String config) {
        if (patroni().isPresent()) {
            if (postmaster().isEmpty()) {
                killOrphanedBackends();
            }
            return false;
        }
        DirectoryProcesses.killAll(home, LEFTOVER_EXIT_TIMEOUT);
        writeConfig(config);
        Process process = Processes.startDetached(List.of("setpriv", "--reuid=" + OS_USER, "--regid=" + OS_USER,
                        "--init-groups", PATRONI.toString(), home.resolve("patroni.yml").toString()),
                home, logFile, Map.of("HOME", home.toString()));
        pidFile.write(process.toHandle());
        return true;
    }

    /** SIGTERM to Patroni, which stops PostgreSQL (fast shutdown) and gives up its leader lock; SIGKILL after {@code timeout}. */
    void stop(Duration timeout) {
        patroni().ifPresent(process -> PidFile.terminate(process, timeout));
        postmaster().ifPresent(process -> Postmasters.stopFast(process, timeout));
        pidFile.delete();
    }

    /** SIGKILL to Patroni and its postmaster at once: a lost machine. */
    void kill() {
        Optional<ProcessHandle> patroni = patroni();
        Optional<ProcessHandle> postmaster = postmaster();
        patroni.ifPresent(ProcessHandle::destroyForcibly);
        postmaster.ifPresent(ProcessHandle::destroyForcibly);
        patroni.ifPresent(process -> PidFile.awaitExit(process, LEFTOVER_EXIT_TIMEOUT));
        postmaster.ifPresent(process -> PidFile.awaitExit(process, LEFTOVER_EXIT_TIMEOUT));
    }

    /**
     * Backends of a postmaster that died: they work in the data directory, carry a retitled command line
     * ({@code postgres: ...}; a postmaster Patroni is starting shows its binary's path instead) and their
     * parent is no live postmaster.
     */
    private void killOrphanedBackends() {
        Optional<ProcessHandle> postmaster = postmaster();
        for (ProcessHandle process : DirectoryProcesses.workingIn(dataDir())) {
            boolean childOfLivePostmaster = postmaster.isPresent()
                    && process.parent().map(parent -> parent.pid() == postmaster.get().pid()).orElse(false);
            if (!childOfLivePostmaster && commandLine(process).startsWith("postgres: ")) {
                process.destroyForcibly();
                PidFile.awaitExit(process, LEFTOVER_EXIT_TIMEOUT);
            }
        }
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void writeConfig(String config) {
        try {
            Files.createDirectories(home);
            Files.createDirectories(home.resolve("socket"));
            Files.createDirectories(home.resolve("log"));
            Files.createDirectories(logFile.getParent());
            Path file = home.resolve("patroni.yml");
            // Owner-only from its first byte: the file holds the superuser's and replication's passwords.
            StateFiles.write(file, config);
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
            for (Path path : List.of(home, home.resolve("socket"), home.resolve("log"), file)) {
                giveToPostgres(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void giveToPostgres(Path path) throws IOException {
        UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
        UserPrincipal user = users.lookupPrincipalByName(OS_USER);
        GroupPrincipal group = users.lookupPrincipalByGroupName(OS_USER);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        view.setGroup(group);
    }
}
