package dev.nightjar.gateway.idempotency;

import java.security.SecureRandom;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Random keys the gateway makes once per deployment and shares across its replicas through its database. */
public final class GatewaySecrets {

    private GatewaySecrets() {
    }

    public static byte[] getOrCreate(JdbcClient jdbc, String name, int bytes) {
        byte[] fresh = new byte[bytes];
        new SecureRandom().nextBytes(fresh);
        jdbc.sql("INSERT INTO gateway_secrets (name, value) VALUES (:name, :value) ON CONFLICT DO NOTHING")
                .param("name", name).param("value", fresh).update();
        return jdbc.sql("SELECT value FROM gateway_secrets WHERE name = :name").param("name", name)
                .query(byte[].class).single();
    }
}
