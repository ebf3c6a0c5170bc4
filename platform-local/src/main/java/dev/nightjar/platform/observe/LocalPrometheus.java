package dev.nightjar.platform.observe;

import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.PlatformLayout;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import dev.nightjar.platform.process.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local platform's Prometheus (Debian's package, installed by {@code bin/observability-packages.sh} when
 * missing): scrapes every service's management port over TLS every five seconds, with the repository's
 * recording and alerting rules ({@code deploy/prometheus/rules}) loaded, on loopback.
 */
public final class LocalPrometheus {

    public static final Path BINARY = Path.of("/usr/bin/prometheus");
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final PlatformLayout layout;
    private final Path home;
    private final PidFile pidFile;

    public LocalPrometheus(PlatformLayout layout) {
        this.layout = layout;
        this.home = layout.observe().resolve("prometheus");
        this.pidFile = new PidFile(layout.pid("prometheus"));
    }

    public String url() {
        return "http://127.0.0.1:" + layout.ports().prometheus();
    }

    public Optional<ProcessHandle> process() {
        return pidFile.live();
    }

    public boolean isRunning() {
        return pidFile.live().isPresent();
    }

    /** The rule files it loads: the repository's own. */
    public Path rulesDirectory() {
        return layout.repository().resolve("deploy").resolve("prometheus").resolve("rules");
    }

    /** Installs Debian's prometheus if it is missing, writes its configuration and starts it unless it runs. */
    public void start() {
        if (isRunning()) {
            return;
        }
        ensureInstalled();
        Path config = writeConfig();
        DirectoryProcesses.killAll(home, STOP_GRACE);
        List<String> command = List.of(BINARY.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + home.resolve("data"),
                "--storage.tsdb.retention.time=7d",
                "--web.listen-address=127.0.0.1:" + layout.ports().prometheus(),
                "--web.enable-lifecycle",
                "--log.level=warn");
        Process process = Processes.startDetached(command, home, layout.log("prometheus"), Map.of());
        pidFile.write(process.toHandle());
    }

    public void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!isRunning()) {
                throw new IllegalStateException("Prometheus exited during start; see " + layout.log("prometheus"));
            }
            if (isHealthy()) {
                return;
            }
            Poll.pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("Prometheus was not ready within " + timeout + "; see " + layout.log("prometheus"));
    }

    public boolean isHealthy() {
        return HttpProbe.answers(url() + "/-/ready", body -> true);
    }

    public void stop() {
        pidFile.live().ifPresent(process -> PidFile.terminate(process, STOP_GRACE));
        pidFile.delete();
    }

    private void ensureInstalled() {
        if (Files.isExecutable(BINARY)) {
            return;
        }
        Path installer = layout.repository().resolve("bin").resolve("observability-packages.sh");
        Processes.run(List.of("bash", installer.toString()), layout.repository(), layout.log("observability-packages"));
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(installer + " ran but " + BINARY + " is still missing; see "
                    + layout.log("observability-packages"));
        }
    }

    /** One scrape job over TLS for the fleet; each target labelled with its instance name. */
    Path writeConfig() {
        StringBuilder yaml = new StringBuilder("""
                # Written by ./nightjar up; rewritten at every start.
                global:
                  scrape_interval: 5s
                  scrape_timeout: 4s
                  evaluation_interval: 5s
                rule_files:
                  - %s/*.yaml
                scrape_configs:
                  - job_name: nightjar
                    scheme: https
                    metrics_path: /actuator/prometheus
                    tls_config:
                      ca_file: %s
                    static_configs:
                """.formatted(rulesDirectory(), layout.tls().resolve("ca.crt")));
        List<FleetMember> members = new ArrayList<>(List.of(FleetMember.values()));
        for (FleetMember member : members) {
            yaml.append("      - targets: ['localhost:").append(layout.ports().management(member)).append("']\n")
                    .append("        labels: {instance: ").append(member.instance()).append("}\n");
        }
        try {
            Files.createDirectories(home);
            Path config = home.resolve("prometheus.yml");
            Files.writeString(config, yaml);
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
