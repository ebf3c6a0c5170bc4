package dev.nightjar.gateway;

import dev.nightjar.testsupport.ServiceTestEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;

/** The gateway alone with a real database and broker; the services behind it are a port nothing listens on. */
final class LoneGateway {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();

    private LoneGateway() {
    }

    static void environment(DynamicPropertyRegistry registry, String database) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, database, database);
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.vault-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.transaction-service.url", () -> "https://localhost:" + CLOSED_PORT);
    }
}
