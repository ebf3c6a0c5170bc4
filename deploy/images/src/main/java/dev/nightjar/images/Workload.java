package dev.nightjar.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One deployable workload: its name, the two ports it listens on and its runnable jar. */
record Workload(String name, int appPort, int managementPort, Path runnableJar) {

    private static final Pattern ARGUMENT = Pattern.compile("([a-z][a-z0-9-]*):(\\d{1,5}),(\\d{1,5}):(.+)");

    Workload {
        if (appPort < 1 || appPort > 65_535 || managementPort < 1 || managementPort > 65_535) {
            throw new IllegalArgumentException(name + ": ports out of range: " + appPort + ", " + managementPort);
        }
        if (appPort == managementPort) {
            throw new IllegalArgumentException(name + ": app and management ports must differ: " + appPort);
        }
    }

    /** Parses {@code name:appPort,managementPort:/path/to/runnable.jar}. */
    static Workload parse(String argument) {
        Matcher matcher = ARGUMENT.matcher(argument);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "--workload must read name:appPort,managementPort:jar, got: " + argument);
        }
        Path jar = Path.of(matcher.group(4));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(matcher.group(1) + ": runnable jar " + jar
                    + " does not exist; build the module first (./mvnw -pl deploy/images -am package)");
        }
        return new Workload(matcher.group(1), Integer.parseInt(matcher.group(2)),
                Integer.parseInt(matcher.group(3)), jar);
    }

    List<Integer> ports() {
        return List.of(appPort, managementPort);
    }
}
