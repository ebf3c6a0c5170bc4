package dev.nightjar.vault;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keystore    the local key-encryption keystore (the local platform's KEK source)
 * @param cvcTtl      how long a CVC may wait in memory for the authorization that needs it
 * @param cvcCapacity bound on CVCs held at once
 * @param dataKeyMaxAge how long one data key encrypts before a fresh one takes over
 */
@ConfigurationProperties("nightjar.vault")
public record VaultProperties(Keystore keystore, @DefaultValue("15m") Duration cvcTtl,
                              @DefaultValue("200000") int cvcCapacity, @DefaultValue("24h") Duration dataKeyMaxAge) {

    public record Keystore(Path path, String password, @DefaultValue("false") boolean createIfMissing) {
    }
}
