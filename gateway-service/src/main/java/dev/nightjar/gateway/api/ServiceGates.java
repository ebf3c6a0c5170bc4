package dev.nightjar.gateway.api;

import dev.nightjar.common.security.Identities;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The gates of the services merchants' requests need: transaction-service for all of them, the vault for cards. */
@Component
public final class ServiceGates {

    private final ServiceGate transactions;
    private final ServiceGate vault;

    public ServiceGates(@Value("${nightjar.gateway.transaction-calls:64}") int transactionCalls,
                        @Value("${nightjar.gateway.vault-calls:32}") int vaultCalls, MeterRegistry meters) {
        this.transactions = new ServiceGate(Identities.TRANSACTION, transactionCalls, meters);
        this.vault = new ServiceGate(Identities.VAULT, vaultCalls, meters);
    }

    public ServiceGate transactions() {
        return transactions;
    }

    public ServiceGate vault() {
        return vault;
    }
}
