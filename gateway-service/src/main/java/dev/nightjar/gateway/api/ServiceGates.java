package dev.nightjar.gateway.api;

import dev.nightjar.common.security.Identities;
import dev.nightjar.gateway.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** The gates of the services merchants' requests need: transaction-service for all of them, the vault for cards. */
@Component
public final class ServiceGates {

    private final ServiceGate transactions;
    private final ServiceGate vault;

    public ServiceGates(GatewayProperties properties, MeterRegistry meters) {
        this.transactions = new ServiceGate(Identities.TRANSACTION, properties.transactionCalls(),
                properties.warmCalls(), properties.warmUp(), meters);
        this.vault = new ServiceGate(Identities.VAULT, properties.vaultCalls(), properties.warmCalls(),
                properties.warmUp(), meters);
    }

    public ServiceGate transactions() {
        return transactions;
    }

    public ServiceGate vault() {
        return vault;
    }
}
