package dev.nightjar.images;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One deployable workload: its name, the ports it listens on (a service's app and management ports, or the one port
 * of a workload with a single one, such as the forecaster) and its runnable jar.
 */
record Workload(String name, List<Integer> ports, Path runnableJar) {

    private static final Pattern ARGUMENT = Pattern.compile("([a-z][a-z0-9-]*):(\\d{1,5})(?:,(\\d{1,5}))?:(.+)");

    Workload {
        ports = List.copyOf(ports);
        for (int port : ports) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException(name + ": port out of range: " + port);
            }
        }
        if (ports.isEmpty() || ports.stream().distinct().count() != ports.size()) {
            throw new IllegalArgumentException(name + ": one port or two different ones, got " + ports);
        }
    }

    /** Parses {@code name:appPort,managementPort:/path/to/runnable.jar} or {@code name:port:/path/to/runnable.jar}. */
    static Workload parse(String argument) {
        Matcher matcher = ARGUMENT.matcher(argument);
        if (!matcher.matches()) {
            throw new IllegalArgumentException(
                    "--workload must read name:appPort,managementPort:jar or name:port:jar, got: " + argument);
        }
        Path jar = Path.of(matcher.group(4));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException(matcher.group(1) + ": runnable jar " + jar
                    + " does not exist; build the module first (./mvnw -pl deploy/images -am package)");
        }
        List<Integer> ports = matcher.group(3) == null
                ? List.of(Integer.parseInt(matcher.group(2)))
                : List.of(Integer.parseInt(matcher.group(2)), Integer.parseInt(matcher.group(3)));
        return new Workload(matcher.group(1), ports, jar);
    }
}
