package dev.nightjar.e2e;

import dev.nightjar.platform.Platform;
import dev.nightjar.platform.PlatformLayout;
import dev.nightjar.platform.Ports;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole fleet, started once per test JVM exactly as {@code ./nightjar up} starts it (every service its
 * own process), on ports and a state directory of its own so a developer's platform can keep running.
 * Stopped, by pid, when the test run ends.
 */
public final class Fleet implements BeforeAllCallback {

    /**
     * Ports of the test platform: clear of the local platform's 8443 and 9100-9230. A second checkout running
     * its end-to-end tests at the same time moves them with NIGHTJAR_E2E_GATEWAY_PORT and NIGHTJAR_E2E_BASE_PORT.
     */
    public static final Ports PORTS = new Ports(portFromEnv("NIGHTJAR_E2E_GATEWAY_PORT", 18443),
            portFromEnv("NIGHTJAR_E2E_BASE_PORT", 19100));

    private static Running running;

    /** What the tests use: the platform and its demo merchant. */
    public record Running(Platform platform, Platform.DemoMerchant merchant) implements AutoCloseable {
        @Override
        public void close() {
            platform.down();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running();
        // Registered on the root context: closed once, after the last test class of the run.
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Fleet.class, key -> (AutoCloseable) running::close, AutoCloseable.class);
    }

    public static synchronized Running running() {
        if (running == null) {
            Path repository = Path.of("..").toAbsolutePath().normalize();
            Path state = Path.of("target", "nightjar-e2e").toAbsolutePath();
            deleteRecursively(state);
            // Every request traced and every span written to the logs, so the leak scan reads traces too.
            PlatformLayout layout = new PlatformLayout(repository, state, PORTS).withServiceProperties(Map.of(
                    "management.tracing.sampling.probability", "1.0",
                    "nightjar.tracing.max-traces-per-second", "0",
                    "management.tracing.export.enabled", "true",
                    "nightjar.tracing.log-spans", "true",
                    // webhook retries within a test's patience
                    "nightjar.webhooks.retry-base", "1s",
                    // acquirer-a: a small bulkhead and a short open breaker, so the resilience tests see both soon
                    "nightjar.acquirers.acquirer-a.max-concurrent-calls", "4",
                    "nightjar.acquirers.acquirer-a.open-for", "3s",
                    // GBP goes to acquirer-b alone: a lane that acquirer-a's troubles must not touch
                    "nightjar.routing.rules[0].currencies[0]", "GBP",
                    "nightjar.routing.rules[0].acquirers[0]", "acquirer-b"));
            Platform platform = new Platform(layout, new PrintStream(System.out, true));
            try {
                running = new Running(platform, platform.up());
            } catch (RuntimeException e) {
                platform.down();
                throw e;
            }
        }
        return running;
    }

    private static int portFromEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
