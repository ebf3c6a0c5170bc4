package dev.nightjar.gateway.oauth;

import dev.nightjar.gateway.merchant.Merchants;
import java.time.Duration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Merchants' clients as the authorization server sees them: client credentials over HTTP Basic,
 * the payments scopes, self-contained JWT access tokens. Clients are created by the operator API only.
 */
public final class MerchantClientRepository implements RegisteredClientRepository {

    public static final String MERCHANT_ID_SETTING = "nightjar.merchant-id";

    private final Merchants merchants;
    private final Duration accessTokenTtl;

    public MerchantClientRepository(Merchants merchants, Duration accessTokenTtl) {
        this.merchants = merchants;
        this.accessTokenTtl = accessTokenTtl;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("merchant clients are created through the operator API");
    }

    @Override
    public RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return merchants.client(clientId).map(this::toRegisteredClient).orElse(null);
    }

    private RegisteredClient toRegisteredClient(Merchants.Client client) {
        return RegisteredClient.withId(client.clientId())
                .clientId(client.clientId())
                .clientSecret(client.secretHash())
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes -> scopes.addAll(client.scopes()))
                .clientSettings(ClientSettings.builder().setting(MERCHANT_ID_SETTING, client.merchantId()).build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(accessTokenTtl)
                        .build())
                .build();
    }
}
