package dev.nightjar.platform;

import java.nio.file.Path;

/**
 * Where a local platform keeps everything: the repository it runs from (for the service jars) and its
 * state directory (data, logs, pids, TLS material, keys, secrets), its ports, and any properties every
 * service should start with on top of the platform's own.
 */
public record PlatformLayout(Path repository, Path state, Ports ports, java.util.Map<String, String> serviceProperties) {

    public PlatformLayout {
        repository = repository.toAbsolutePath().normalize();
        state = state.toAbsolutePath().normalize();
        serviceProperties = java.util.Map.copyOf(serviceProperties);
    }

    public PlatformLayout(Path repository, Path state, Ports ports) {
        this(repository, state, ports, java.util.Map.of());
    }

    /** The same platform with extra properties for every service (a test fleet tracing everything, say). */
    public PlatformLayout withServiceProperties(java.util.Map<String, String> properties) {
        return new PlatformLayout(repository, state, ports, properties);
    }

    public static PlatformLayout defaults(Path repository) {
        return new PlatformLayout(repository, repository.resolve(".nightjar"), Ports.DEFAULT);
    }

    public Path tls() {
        return state.resolve("tls");
    }

    public Path logs() {
        return state.resolve("logs");
    }

    public Path run() {
        return state.resolve("run");
    }

    public Path config() {
        return state.resolve("config");
    }

    public Path keys() {
        return state.resolve("keys");
    }

    public Path postgresData() {
        return state.resolve("postgres");
    }

    /** The Patroni nodes' and etcd's directories (HA mode). */
    public Path haHome() {
        return state.resolve("ha");
    }

    /** Which database mode the state was made with ({@link DatabaseMode}). */
    public Path databaseModeFile() {
        return state.resolve("database-mode");
    }

    public Path kafkaHome() {
        return state.resolve("kafka");
    }

    public Path secretsFile() {
        return state.resolve("secrets.properties");
    }

    public Path demoMerchantFile() {
        return state.resolve("demo-merchant.json");
    }

    /** The payment path warm-up's merchants, kept for the next {@code up}'s warm-up. */
    public Path warmUpMerchantsFile() {
        return state.resolve("warm-up-merchants.json");
    }

    public Path serviceJar(FleetMember member) {
        return repository.resolve(member.module()).resolve("target").resolve(member.module() + "-exec.jar");
    }

    /** Where a service that runs out of heap leaves its heap dump ({@code java_pid<pid>.hprof}) for a look. */
    /** The Zipkin server's exec jar, copied there by the build. */
    public Path zipkinJar() {
        return repository.resolve("platform-local").resolve("target").resolve("zipkin").resolve("zipkin-server.jar");
    }

    /** Working directories of the observability processes (Zipkin, Prometheus and its data). */
    public Path observe() {
        return state.resolve("observe");
    }

    public Path dumps() {
        return state.resolve("dumps");
    }

    public Path log(String component) {
        return logs().resolve(component + ".log");
    }

    /** The services' garbage-collection logs, one per instance: beside their own logs, not among them. */
    public Path gcLogs() {
        return logs().resolve("gc");
    }

    public Path pid(String component) {
        return run().resolve(component + ".pid");
    }
}
