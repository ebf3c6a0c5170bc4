package dev.nightjar.vault;

import java.util.List;
import dev.nightjar.common.lifecycle.RequestPathWarmUp;
import dev.nightjar.contracts.contract.VaultContract;
import dev.nightjar.common.audit.AuditConfiguration;
import dev.nightjar.common.audit.AuditLog;
import dev.nightjar.vault.crypto.DataKeys;
import dev.nightjar.vault.crypto.FingerprintKey;
import dev.nightjar.vault.crypto.TransitClients;
import dev.nightjar.vault.crypto.TransitProperties;
import dev.nightjar.vault.crypto.VaultTransitKek;
import dev.nightjar.vault.crypto.KeyEncryptionKey;
import dev.nightjar.vault.crypto.Fingerprints;
import dev.nightjar.vault.crypto.LocalKeystoreKek;
import dev.nightjar.vault.token.HeldOnce;
import dev.nightjar.vault.token.TokenService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@Import(AuditConfiguration.class)
class VaultConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The local platform's KEK keeper: a keystore file. The default. */
    @Bean
    @ConditionalOnProperty(name = "nightjar.vault.kek.provider", havingValue = "local-keystore", matchIfMissing = true)
    KeyEncryptionKey localKeystoreKek(VaultProperties properties) {
        VaultProperties.Keystore keystore = properties.keystore();
        return LocalKeystoreKek.open(keystore.path(), keystore.password(), keystore.createIfMissing());
    }

    /** Production's KEK keeper: HashiCorp Vault's Transit engine. */
    @Bean
    @ConditionalOnProperty(name = "nightjar.vault.kek.provider", havingValue = "vault-transit")
    KeyEncryptionKey vaultTransitKek(TransitProperties properties, SslBundles bundles) {
        return new VaultTransitKek(TransitClients.transit(properties, bundles), properties.keyName());
    }

    @Bean
    DataKeys dataKeys(JdbcClient jdbc, KeyEncryptionKey kek, VaultProperties properties, Clock clock) {
        return new DataKeys(jdbc, kek, properties.dataKeyMaxAge(), clock);
    }

    @Bean
    Fingerprints fingerprints(JdbcClient jdbc, KeyEncryptionKey kek) {
        return new Fingerprints(FingerprintKey.loadOrCreate(jdbc, kek));
    }

    @Bean
    KeyMaintenance keyMaintenance(KeyEncryptionKey kek, DataKeys dataKeys) {
        return new KeyMaintenance(kek, dataKeys);
    }

    /** Picks up KEK versions made by another replica, and moves data keys to the current KEK. */
    static final class KeyMaintenance {
        private final KeyEncryptionKey kek;
        private final DataKeys dataKeys;

        KeyMaintenance(KeyEncryptionKey kek, DataKeys dataKeys) {
            this.kek = kek;
            this.dataKeys = dataKeys;
        }

        @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
        void refresh() {
            kek.refresh();
        }

        @Scheduled(fixedDelay = 600_000, initialDelay = 60_000)
        void rewrap() {
            dataKeys.rewrap();
        }
    }

    @Bean
    HeldOnce<String> cvcHolder(VaultProperties properties, Clock clock) {
        return new HeldOnce<>(properties.cvcTtl(), properties.cvcCapacity(), clock);
    }

    @Bean
    TokenService tokenService(JdbcClient jdbc, DataKeys dataKeys, Fingerprints fingerprints, HeldOnce<String> cvcs,
                              Clock clock, AuditLog auditLog, MeterRegistry meters) {
        return new TokenService(jdbc, dataKeys, fingerprints, cvcs, clock, auditLog, meters);
    }

    @Bean
    HoldSweeper holdSweeper(TokenService tokens) {
        return new HoldSweeper(tokens);
    }

    /** Drops expired CVCs and card rows every minute. */
    static final class HoldSweeper {
        private final TokenService tokens;

        HoldSweeper(TokenService tokens) {
            this.tokens = tokens;
        }

        @Scheduled(fixedDelay = 60_000)
        void sweep() {
            tokens.evictExpired();
        }
    }

    /**
     * The tokenizing path before the service reports ready ({@link RequestPathWarmUp}): a number refused by the
     * validation that comes before any encryption or write, and the read of a token that does not exist.
     */
    @Bean
    RequestPathWarmUp.Requests warmUpRequests() {
        String merchant = RequestPathWarmUp.MERCHANT;
        return () -> List.of(
                RequestPathWarmUp.Request.post(VaultContract.TOKENS,
                        new VaultContract.TokenizeRequest(merchant, "1234", 12, 2030, "123"), 400),
                RequestPathWarmUp.Request.get(VaultContract.TOKEN.replace("{token}", "tok_warmup")
                        + "?merchant_id=" + merchant, 404));
    }
}
