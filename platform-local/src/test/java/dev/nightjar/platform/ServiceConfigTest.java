package dev.nightjar.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    @Test
    void shardedServiceGetsOneUrlPerShardAndBothRoles() {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), new Ports(18443, 19100));
        Secrets secrets = Secrets.load(dir.resolve("s"));
        Map<String, String> config = ServiceConfig.render(FleetMember.TRANSACTION, layout, secrets,
                PlatformDatabases.create(DatabaseMode.SINGLE, layout, secrets));
        assertThat(config).containsEntry("server.port", "19102").containsEntry("management.server.port", "19202")
                .containsEntry("nightjar.shards.urls[0]", "jdbc:postgresql://127.0.0.1:19130/transaction_0")
                .containsEntry("nightjar.shards.urls[1]", "jdbc:postgresql://127.0.0.1:19130/transaction_1")
                .containsEntry("nightjar.shards.username", "transaction_app")
                .containsEntry("nightjar.shards.owner-username", "transaction_owner")
                .containsEntry("nightjar.clients.auth-service.url", "https://localhost:19103")
                .containsEntry("spring.kafka.bootstrap-servers", "127.0.0.1:19120");
        assertThat(config).doesNotContainKey("spring.datasource.url");
    }

    @Test
    void gatewayListensOnItsOwnPortAndCallsTheOthers() {
        PlatformLayout layout = PlatformLayout.defaults(dir);
        Secrets secrets = Secrets.load(dir.resolve("s"));
        Map<String, String> config = ServiceConfig.render(FleetMember.GATEWAY, layout, secrets,
                PlatformDatabases.create(DatabaseMode.SINGLE, layout, secrets));
        assertThat(config).containsEntry("server.port", "8443").containsEntry("management.server.port", "9200")
                .containsEntry("spring.datasource.url", "jdbc:postgresql://127.0.0.1:9130/gateway")
                .containsEntry("spring.flyway.user", "gateway_owner")
                .containsEntry("nightjar.clients.vault-service.url", "https://localhost:9101");
    }

    @Test
    void inHaModeEachShardGetsTheMultiHostUrlOfItsClusterThatOnlyAcceptsAPrimary() {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), new Ports(18443, 19100));
        Secrets secrets = Secrets.load(dir.resolve("s"));
        var database = PlatformDatabases.create(DatabaseMode.HA, layout, secrets);
        Map<String, String> transaction = ServiceConfig.render(FleetMember.TRANSACTION, layout, secrets, database);
        Map<String, String> gateway = ServiceConfig.render(FleetMember.GATEWAY, layout, secrets, database);
        String parameters = "?targetServerType=primary&hostRecheckSeconds=1&connectTimeout=2&loginTimeout=30";
        assertThat(transaction)
                .containsEntry("nightjar.shards.urls[0]",
                        "jdbc:postgresql://127.0.0.1:19131,127.0.0.1:19132,127.0.0.1:19133/transaction_0" + parameters)
                .containsEntry("nightjar.shards.urls[1]",
                        "jdbc:postgresql://127.0.0.1:19134,127.0.0.1:19135,127.0.0.1:19136/transaction_1" + parameters);
        assertThat(gateway).containsEntry("spring.datasource.url",
                "jdbc:postgresql://127.0.0.1:19131,127.0.0.1:19132,127.0.0.1:19133/gateway" + parameters);
    }

    @Test
    void eachAcquirerSimulatorKeepsItsJournalInADirectoryOfItsOwnUnderTheState() {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), new Ports(18443, 19100));
        Secrets secrets = Secrets.load(dir.resolve("s"));
        var database = PlatformDatabases.create(DatabaseMode.SINGLE, layout, secrets);
        Map<String, String> a = ServiceConfig.render(FleetMember.ACQUIRER_A, layout, secrets, database);
        Map<String, String> b = ServiceConfig.render(FleetMember.ACQUIRER_B, layout, secrets, database);
        assertThat(a).containsEntry("nightjar.acquirer.name", "acquirer-a").containsEntry("nightjar.acquirer.max-records", "150000")
                .containsEntry("nightjar.acquirer.data-dir", dir.resolve("state/acquirers/acquirer-a").toAbsolutePath().toString());
        assertThat(b).containsEntry("nightjar.acquirer.data-dir", dir.resolve("state/acquirers/acquirer-b").toAbsolutePath().toString());
        assertThat(ServiceConfig.render(FleetMember.GATEWAY, layout, secrets, database))
                .doesNotContainKey("nightjar.acquirer.data-dir");
    }

    @Test
    void anAcquirerSimulatorHasNoDatabaseSoNoDatabaseCredentialsAreMadeForIt() throws Exception {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), new Ports(18443, 19100));
        Path file = dir.resolve("secrets.properties");
        Secrets secrets = Secrets.load(file);
        var database = PlatformDatabases.create(DatabaseMode.SINGLE, layout, secrets);
        Map<String, String> config = ServiceConfig.render(FleetMember.ACQUIRER_A, layout, secrets, database);
        assertThat(config).doesNotContainKeys("spring.datasource.url", "spring.datasource.password",
                "nightjar.shards.password", "spring.flyway.password");
        Properties saved = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                saved.load(reader);
            }
        }
        assertThat(saved.stringPropertyNames()).noneMatch(name -> name.contains("null"));
        assertThatThrownBy(FleetMember.ACQUIRER_A::appRole)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("acquirer-a has no database");
    }

    @Test
    void secretsAreMadeOnceAndKept() {
        Secrets first = Secrets.load(dir.resolve("secrets.properties"));
        String password = first.get("postgres.vault_app");
        assertThat(password).hasSize(32);
        assertThat(Secrets.load(dir.resolve("secrets.properties")).get("postgres.vault_app")).isEqualTo(password);
    }

    @Test
    void theWrittenFileIsOwnerOnlyAndReadsBackAsTheRenderedProperties() throws Exception {
        PlatformLayout layout = new PlatformLayout(dir, dir.resolve("state"), new Ports(18443, 19100));
        Secrets secrets = Secrets.load(dir.resolve("s"));
        var database = PlatformDatabases.create(DatabaseMode.SINGLE, layout, secrets);
        Map<String, String> rendered = ServiceConfig.render(FleetMember.VAULT, layout, secrets, database);

        Path file = ServiceConfig.write(FleetMember.VAULT, layout, secrets, database);
        Path again = ServiceConfig.write(FleetMember.VAULT, layout, secrets, database);

        assertThat(again).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Properties read = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            read.load(reader);
        }
        assertThat(read).containsExactlyInAnyOrderEntriesOf(rendered);
        try (var left = Files.list(file.getParent())) {
            assertThat(left).as("no temporary file is left beside it").containsExactly(file);
        }
    }
}
