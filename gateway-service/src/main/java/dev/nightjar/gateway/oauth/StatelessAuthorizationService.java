package dev.nightjar.gateway.oauth;

import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Access tokens are self-contained signed JWTs checked by signature and expiry, so issued tokens are not
 * stored: nothing grows with token traffic. (Token introspection and revocation are therefore not
 * offered; disabling a merchant or revoking its client stops new tokens, and tokens live one hour.)
 */
public final class StatelessAuthorizationService implements OAuth2AuthorizationService {

    @Override
    public void save(OAuth2Authorization authorization) {
        // Nothing to keep: the JWT carries everything the resource server checks.
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        // Nothing kept, nothing to remove.
    }

    @Override
    public OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
        return null;
    }
}
