package dev.nightjar.vault.crypto;

import dev.nightjar.common.http.PooledHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.vault.VaultException;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.authentication.KubernetesAuthentication;
import org.springframework.vault.authentication.KubernetesAuthenticationOptions;
import org.springframework.vault.authentication.SimpleSessionManager;
import org.springframework.vault.authentication.TokenAuthentication;
import org.springframework.vault.client.VaultClients;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.VaultTransitKeyCreationRequest;

/** Builds the Transit client from {@link TransitProperties}: endpoint, TLS, authentication, the key itself. */
public final class TransitClients {

    private TransitClients() {
    }

    public static VaultTransitOperations transit(TransitProperties properties, SslBundles bundles) {
        if (properties.uri() == null) {
            throw new IllegalStateException("nightjar.vault.kek.transit.uri is required for the vault-transit provider");
        }
        VaultEndpoint endpoint = VaultEndpoint.from(properties.uri());
        ClientHttpRequestFactory http = PooledHttp.requestFactory(properties.connectTimeout(), properties.readTimeout(),
                properties.sslBundle() == null ? null : bundles.getBundle(properties.sslBundle()));
        ClientAuthentication authentication = switch (properties.authentication()) {
            case "token" -> {
                if (properties.token() == null || properties.token().isBlank()) {
                    throw new IllegalStateException("nightjar.vault.kek.transit.token is required for token authentication");
                }
                yield new TokenAuthentication(properties.token());
            }
            case "kubernetes" -> new KubernetesAuthentication(KubernetesAuthenticationOptions.builder()
                    .role(properties.kubernetesRole())
                    .jwtSupplier(() -> read(properties))
                    .build(), VaultClients.createRestTemplate(endpoint, http));
            default -> throw new IllegalStateException("unknown Vault authentication " + properties.authentication());
        };
        VaultTemplate template = new VaultTemplate(endpoint, http, new SimpleSessionManager(authentication));
        VaultTransitOperations transit = template.opsForTransit(properties.mount());
        if (properties.createKeyIfMissing() && missing(transit, properties.keyName())) {
            transit.createKey(properties.keyName(), VaultTransitKeyCreationRequest.ofKeyType("aes256-gcm96"));
        }
        return transit;
    }

    private static boolean missing(VaultTransitOperations transit, String keyName) {
        try {
            return transit.getKey(keyName) == null;
        } catch (VaultException e) {
            return true;
        }
    }

    private static String read(TransitProperties properties) {
        try {
            return Files.readString(properties.kubernetesTokenPath()).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the service account token", e);
        }
    }
}
