package dev.nightjar.vault;

import dev.nightjar.vault.crypto.DataKeys;
import dev.nightjar.vault.crypto.Fingerprints;
import dev.nightjar.vault.crypto.LocalKeystoreKek;
import dev.nightjar.vault.token.CvcHolder;
import dev.nightjar.vault.token.TokenService;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class VaultConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LocalKeystoreKek localKeystoreKek(VaultProperties properties) {
        VaultProperties.Keystore keystore = properties.keystore();
        return LocalKeystoreKek.open(keystore.path(), keystore.password(), keystore.createIfMissing());
    }

    @Bean
    DataKeys dataKeys(JdbcClient jdbc, LocalKeystoreKek kek) {
        return new DataKeys(jdbc, kek);
    }

    @Bean
    Fingerprints fingerprints(LocalKeystoreKek kek) {
        return new Fingerprints(kek.fingerprintKey());
    }

    @Bean
    CvcHolder cvcHolder(VaultProperties properties, Clock clock) {
        return new CvcHolder(properties.cvcTtl(), properties.cvcCapacity(), clock);
    }

    @Bean
    TokenService tokenService(JdbcClient jdbc, DataKeys dataKeys, Fingerprints fingerprints, CvcHolder cvcs, Clock clock) {
        return new TokenService(jdbc, dataKeys, fingerprints, cvcs, clock);
    }

    @Bean
    CvcSweeper cvcSweeper(CvcHolder cvcs) {
        return new CvcSweeper(cvcs);
    }

    /** Drops expired CVCs every minute. */
    static final class CvcSweeper {
        private final CvcHolder cvcs;

        CvcSweeper(CvcHolder cvcs) {
            this.cvcs = cvcs;
        }

        @Scheduled(fixedDelay = 60_000)
        void sweep() {
            cvcs.evictExpired();
        }
    }
}
