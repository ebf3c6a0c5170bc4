package dev.nightjar.vault.crypto;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HashiCorp Vault Transit as the key-encryption key ({@code nightjar.vault.kek.provider=vault-transit}).
 *
 * @param uri                 Vault's address
 * @param mount               where the Transit engine is mounted
 * @param keyName             the Transit key that wraps Nightjar's data keys
 * @param authentication      {@code token} or {@code kubernetes}
 * @param token               the Vault token, for token authentication
 * @param kubernetesRole      the Vault role, for Kubernetes authentication
 * @param kubernetesTokenPath the pod's service account token
 * @param sslBundle           Spring SSL bundle trusting Vault's certificate (none: the JDK's trust store)
 * @param createKeyIfMissing  create the Transit key (aes256-gcm96) when it does not exist
 */
@ConfigurationProperties("nightjar.vault.kek.transit")
public record TransitProperties(
        URI uri,
        @DefaultValue("transit") String mount,
        @DefaultValue("nightjar-card-kek") String keyName,
        @DefaultValue("token") String authentication,
        String token,
        String kubernetesRole,
        @DefaultValue("/var/run/secrets/kubernetes.io/serviceaccount/token") Path kubernetesTokenPath,
        String sslBundle,
        @DefaultValue("false") boolean createKeyIfMissing,
        @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("5s") Duration readTimeout) {
}
