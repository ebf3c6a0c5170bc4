package dev.nightjar.platform;

import dev.nightjar.platform.postgres.PlatformDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders the configuration file each service process starts with ({@code .nightjar/config/<instance>.properties}):
 * its ports, TLS directory, databases (the URLs {@link PlatformDatabase#jdbcUrl} gives: multi-host in HA mode) and credentials, Kafka, and the URLs of the services it may call.
 */
final class ServiceConfig {

    private ServiceConfig() {
    }

    static Map<String, String> render(FleetMember member, PlatformLayout layout, Secrets secrets, PlatformDatabase database) {
        Ports ports = layout.ports();
        Map<String, String> p = new TreeMap<>();
        p.put("server.port", Integer.toString(ports.service(member)));
        p.put("management.server.port", Integer.toString(ports.management(member)));
        p.put("management.server.address", "127.0.0.1");
        p.put("server.address", "127.0.0.1");
        p.put("nightjar.tls.dir", layout.tls().toString());
        p.put("nightjar.local-platform", "true");
        p.put("nightjar.state-dir", layout.state().toString());
        p.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + ports.kafka());
        for (FleetMember callee : FleetMember.values()) {
            if (!callee.isAcquirer()) {
                p.put("nightjar.clients." + callee.identity() + ".url", "https://localhost:" + ports.service(callee));
            }
        }
        p.put("nightjar.acquirers.acquirer-a.url", "https://localhost:" + ports.service(FleetMember.ACQUIRER_A));
        p.put("nightjar.acquirers.acquirer-b.url", "https://localhost:" + ports.service(FleetMember.ACQUIRER_B));
        if (member.isAcquirer()) {
            p.put("nightjar.acquirer.name", member.instance());
            // its records (charges, settlement batches) outlive the process, like every other service's database
            p.put("nightjar.acquirer.data-dir", layout.state().resolve("acquirers").resolve(member.instance()).toString());
            // what its heap (FleetMember) holds: about 450 bytes a record and 370 a kept report line, with room
            // for a 100,000-line settlement batch in flight; kept records must fit, or it could not start again
            p.put("nightjar.acquirer.max-records", "150000");
        }

        // a member without a database (the acquirer simulators) has no roles and gets no passwords
        if (!member.databases().isEmpty()) {
            String appPassword = secrets.get("postgres." + member.appRole());
            String ownerPassword = secrets.get("postgres." + member.ownerRole());
            if (member.sharded()) {
                for (int i = 0; i < member.databases().size(); i++) {
                    p.put("nightjar.shards.urls[" + i + "]", database.jdbcUrl(member.databases().get(i)));
                }
                p.put("nightjar.shards.username", member.appRole());
                p.put("nightjar.shards.password", appPassword);
                p.put("nightjar.shards.owner-username", member.ownerRole());
                p.put("nightjar.shards.owner-password", ownerPassword);
            } else {
                p.put("spring.datasource.url", database.jdbcUrl(member.databases().get(0)));
                p.put("spring.datasource.username", member.appRole());
                p.put("spring.datasource.password", appPassword);
                p.put("spring.flyway.user", member.ownerRole());
                p.put("spring.flyway.password", ownerPassword);
                p.put("spring.flyway.placeholders.app_role", member.appRole());
            }
        }
        if (member == FleetMember.VAULT) {
            p.put("nightjar.vault.keystore.path", layout.keys().resolve("vault-kek.p12").toString());
            p.put("nightjar.vault.keystore.password", secrets.get("vault.keystore"));
        }
        if (member == FleetMember.GATEWAY) {
            // a developer's receiver runs on this machine: plain http to localhost, private addresses, and
            // certificates from the local CA are all fine here, and nowhere else
            p.put("nightjar.webhooks.allow-local-http", "true");
            p.put("nightjar.webhooks.allow-private-addresses", "true");
            p.put("nightjar.webhooks.trust-ca-file", layout.tls().resolve("ca.crt").toString());
        }
        // Every span to the platform's Zipkin server, batched off the request path; every request traced here, up to
        // 20 new traces a second in each service, as in the chart (a deployment chooses its ratio and ceiling:
        // management.tracing.sampling.probability, nightjar.tracing.max-traces-per-second).
        p.put("management.tracing.export.enabled", "true");
        p.put("management.tracing.export.zipkin.enabled", "true");
        p.put("management.tracing.export.zipkin.endpoint", "http://127.0.0.1:" + ports.zipkin() + "/api/v2/spans");
        // Protocol buffers rather than JSON: cheaper to write and much cheaper for the server to read, about 0.3 ms
        // of the platform's CPU per payment at 30/s (docs/performance.md, "Spans as protocol buffers").
        p.put("management.tracing.export.zipkin.encoding", "PROTO3");
        p.put("management.tracing.sampling.probability", "1.0");
        p.put("nightjar.tracing.max-traces-per-second", "20");
        // Debian 12's Prometheus (2.42) drops a whole scrape that carries an exemplar on a _count series, which
        // Micrometer writes; Prometheus 2.43 and later read them, so deployments keep exemplars.
        p.put("management.tracing.exemplars.include", "none");
        p.putAll(layout.serviceProperties());
        return p;
    }

    static Path write(FleetMember member, PlatformLayout layout, Secrets secrets, PlatformDatabase database) {
        Path file = layout.config().resolve(member.instance() + ".properties");
        StringBuilder content = new StringBuilder("# Written by ./nightjar up for " + member.instance()
                + "; rewritten at every start.\n");
        for (Map.Entry<String, String> entry : render(member, layout, secrets, database).entrySet()) {
            content.append(entry.getKey()).append('=').append(escape(entry.getValue())).append('\n');
        }
        // Owner-only from its first byte: the file holds the service's database password and keystore secrets.
        StateFiles.write(file, content.toString());
        return file;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
