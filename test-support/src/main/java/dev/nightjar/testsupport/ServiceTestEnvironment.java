package dev.nightjar.testsupport;

import dev.nightjar.testsupport.TestPostgres.TestDatabase;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Points a service under test at the real test servers: its TLS material, its database (or shard
 * databases) and Kafka. Use from a {@code @DynamicPropertySource} method.
 */
public final class ServiceTestEnvironment {

    private ServiceTestEnvironment() {
    }

    public static void tls(DynamicPropertyRegistry registry) {
        registry.add("nightjar.tls.dir", () -> TestTls.dir().toString());
        registry.add("server.port", () -> "0");
        registry.add("management.server.port", () -> "0");
        // a couple of rounds, and a start that fails when a warm-up request is not answered as declared: each
        // service's tests then prove its warm-up requests get their statuses
        registry.add("nightjar.warm-up.rounds", () -> "2");
        registry.add("nightjar.warm-up.strict", () -> "true");
    }

    public static TestDatabase database(DynamicPropertyRegistry registry, String name, String rolePrefix) {
        TestDatabase database = TestPostgres.database(name, rolePrefix);
        registry.add("spring.datasource.url", database::url);
        registry.add("spring.datasource.username", database::appRole);
        registry.add("spring.datasource.password", database::password);
        registry.add("spring.flyway.user", database::ownerRole);
        registry.add("spring.flyway.password", database::password);
        registry.add("spring.flyway.placeholders.app_role", database::appRole);
        return database;
    }

    public static List<TestDatabase> shards(DynamicPropertyRegistry registry, String namePrefix, String rolePrefix, int count) {
        List<TestDatabase> shards = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestDatabase shard = TestPostgres.database(namePrefix + "_" + i, rolePrefix);
            shards.add(shard);
            registry.add("nightjar.shards.urls[" + i + "]", shard::url);
        }
        registry.add("nightjar.shards.username", () -> rolePrefix + "_app");
        registry.add("nightjar.shards.password", () -> "test");
        registry.add("nightjar.shards.owner-username", () -> rolePrefix + "_owner");
        registry.add("nightjar.shards.owner-password", () -> "test");
        return shards;
    }

    /** A local port nothing listens on: a service that is down, as its callers see it (connection refused). */
    public static int closedPort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", TestKafka::bootstrapServers);
    }
}
