package dev.nightjar.gateway.oauth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import dev.nightjar.contracts.id.Ids;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The RSA keys that sign merchants' access tokens, kept in the gateway's database so every replica signs
 * and verifies alike and tokens survive restarts. The newest active key signs; all active keys verify
 * and are published at {@code /oauth2/jwks}.
 */
public final class SigningKeys {

    private static final int RSA_BITS = 2048;

    private final List<RSAKey> active;

    private SigningKeys(List<RSAKey> active) {
        this.active = List.copyOf(active);
    }

    /** Loads the active keys, making the first one if there is none. */
    public static SigningKeys load(JdbcClient jdbc) {
        List<RSAKey> keys = read(jdbc);
        if (keys.isEmpty()) {
            create(jdbc);
            keys = read(jdbc);
        }
        return new SigningKeys(keys);
    }

    /** The key that signs new tokens. */
    public RSAKey current() {
        return active.get(0);
    }

    /** Every active key, with private parts: the authorization server publishes only the public halves. */
    public JWKSet all() {
        return new JWKSet(new ArrayList<JWK>(active));
    }

    private static List<RSAKey> read(JdbcClient jdbc) {
        return jdbc.sql("""
                        SELECT kid, private_key, public_key FROM signing_keys
                        WHERE retired_at IS NULL AND algorithm = 'RS256' ORDER BY created_at DESC, kid DESC""")
                .query((rs, n) -> toJwk(rs.getString(1), rs.getBytes(2), rs.getBytes(3)))
                .list();
    }

    private static void create(JdbcClient jdbc) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            jdbc.sql("""
                            INSERT INTO signing_keys (kid, algorithm, private_key, public_key)
                            VALUES (:kid, 'RS256', :private, :public)""")
                    .param("kid", Ids.newId("key")).param("private", pair.getPrivate().getEncoded())
                    .param("public", pair.getPublic().getEncoded())
                    .update();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not make a token signing key", e);
        }
    }

    private static RSAKey toJwk(String kid, byte[] privateKey, byte[] publicKey) {
        try {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            return new RSAKey.Builder((RSAPublicKey) rsa.generatePublic(new X509EncodedKeySpec(publicKey)))
                    .privateKey((RSAPrivateKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(privateKey)))
                    .keyID(kid)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("unreadable signing key " + kid, e);
        }
    }
}
