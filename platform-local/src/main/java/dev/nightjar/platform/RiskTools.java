package dev.nightjar.platform;

import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ./nightjar risk train|bench}: runs risk-service's model tools from its built jar in a JVM of their
 * own (Spring Boot's PropertiesLauncher picks the main class), so the platform never depends on a service's
 * code. {@code train} writes the model into risk-service's sources unless told otherwise.
 */
final class RiskTools {

    static final String TRAIN = "dev.nightjar.risk.model.TrainModel";
    static final String BENCH = "dev.nightjar.risk.bench.DecisionBenchmark";
    static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";
    static final String MODEL = "risk-service/src/main/resources/dev/nightjar/risk/model.json";

    private RiskTools() {
    }

    /** The command line that runs {@code tool} with {@code args}, or null for an unknown tool. */
    static List<String> command(String tool, List<String> args, Path repository) {
        String main = switch (tool) {
            case "train" -> TRAIN;
            case "bench" -> BENCH;
            default -> null;
        };
        if (main == null) {
            return null;
        }
        List<String> command = new ArrayList<>(List.of(Processes.javaExecutable(), "-Xmx1g", "-XX:+UseSerialGC",
                "-Dloader.main=" + main, "-cp", jar(repository).toString(), LAUNCHER));
        command.addAll(args);
        if (main.equals(TRAIN) && !args.contains("--output")) {
            command.add("--output");
            command.add(repository.resolve(MODEL).toString());
        }
        return command;
    }

    static Path jar(Path repository) {
        return repository.resolve("risk-service/target/risk-service-exec.jar");
    }

    /** Runs a known tool in the foreground with this terminal; returns its exit code. */
    static int run(String tool, List<String> args, Path repository, PrintStream out) {
        List<String> command = command(tool, args, repository);
        if (!Files.isRegularFile(jar(repository))) {
            out.println("risk-service is not built: run ./mvnw -q -B -DskipTests install (or ./nightjar up) first.");
            return 1;
        }
        try {
            Process process = new ProcessBuilder(command).directory(repository.toFile()).inheritIO().start();
            return process.waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}
