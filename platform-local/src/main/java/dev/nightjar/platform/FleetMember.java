package dev.nightjar.platform;

import dev.nightjar.common.security.Identities;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One process of the local fleet: which module's jar it runs, the identity in its certificate, its
 * port offset, the databases it owns (two shards where it is sharded) and its heap.
 */
public enum FleetMember {
    ACQUIRER_A("acquirer-a", "acquirer-simulator", Identities.ACQUIRER_SIMULATOR, 7, null, List.of(), 640),
    ACQUIRER_B("acquirer-b", "acquirer-simulator", Identities.ACQUIRER_SIMULATOR, 8, null, List.of(), 640),
    VAULT("vault-service", "vault-service", Identities.VAULT, 1, "vault", List.of("vault"), 192),
    RISK("risk-service", "risk-service", Identities.RISK, 4, "risk", List.of("risk"), 192),
    AUTH("auth-service", "auth-service", Identities.AUTH, 3, "auth", List.of("auth"), 192),
    TRANSACTION("transaction-service", "transaction-service", Identities.TRANSACTION, 2, "transaction",
            List.of("transaction_0", "transaction_1"), 256),
    LEDGER("ledger-service", "ledger-service", Identities.LEDGER, 5, "ledger", List.of("ledger_0", "ledger_1"), 192),
    SETTLEMENT("settlement-service", "settlement-service", Identities.SETTLEMENT, 6, "settlement", List.of("settlement"), 192),
    GATEWAY("gateway-service", "gateway-service", Identities.GATEWAY, 0, "gateway", List.of("gateway"), 512);

    private final String instance;
    private final String module;
    private final String identity;
    private final int portOffset;
    private final String databaseRolePrefix;
    private final List<String> databases;
    private final int heapMegabytes;

    FleetMember(String instance, String module, String identity, int portOffset, String databaseRolePrefix,
                List<String> databases, int heapMegabytes) {
        this.instance = instance;
        this.module = module;
        this.identity = identity;
        this.portOffset = portOffset;
        this.databaseRolePrefix = databaseRolePrefix;
        this.databases = databases;
        this.heapMegabytes = heapMegabytes;
    }

    /** The member whose {@link #instance()} is {@code name}. */
    public static Optional<FleetMember> named(String name) {
        return Arrays.stream(values()).filter(member -> member.instance.equals(name)).findFirst();
    }

    /** The process's name: its pid file, log file and config file are named after it. */
    public String instance() {
        return instance;
    }

    public String module() {
        return module;
    }

    /** One of the simulated acquirers. */
    public boolean isAcquirer() {
        return this == ACQUIRER_A || this == ACQUIRER_B;
    }

    public String identity() {
        return identity;
    }

    public int portOffset() {
        return portOffset;
    }

    public List<String> databases() {
        return databases;
    }

    public boolean sharded() {
        return databases.size() > 1;
    }

    /** The role that owns the service's databases and runs its migrations. */
    public String ownerRole() {
        return rolePrefix() + "_owner";
    }

    /** The role the service runs as: data privileges only, granted table by table by the migrations. */
    public String appRole() {
        return rolePrefix() + "_app";
    }

    private String rolePrefix() {
        if (databaseRolePrefix == null) {
            throw new IllegalStateException(instance + " has no database, so no database roles");
        }
        return databaseRolePrefix;
    }

    public int heapMegabytes() {
        return heapMegabytes;
    }
}
