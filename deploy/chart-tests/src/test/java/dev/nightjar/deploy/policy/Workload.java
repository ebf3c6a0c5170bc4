package dev.nightjar.deploy.policy;

import dev.nightjar.common.security.Identities;
import java.util.List;

/** A Nightjar workload the chart deploys: its name (the app.kubernetes.io/name label) and its service identity. */
public enum Workload {
    GATEWAY("gateway-service", Identities.GATEWAY),
    VAULT("vault-service", Identities.VAULT),
    TRANSACTION("transaction-service", Identities.TRANSACTION),
    AUTH("auth-service", Identities.AUTH),
    RISK("risk-service", Identities.RISK),
    LEDGER("ledger-service", Identities.LEDGER),
    SETTLEMENT("settlement-service", Identities.SETTLEMENT),
    ACQUIRER_A("acquirer-a", Identities.ACQUIRER_SIMULATOR),
    ACQUIRER_B("acquirer-b", Identities.ACQUIRER_SIMULATOR);

    public static final String NAME_LABEL = "app.kubernetes.io/name";

    private final String workloadName;
    private final String identity;

    Workload(String workloadName, String identity) {
        this.workloadName = workloadName;
        this.identity = identity;
    }

    public String workloadName() {
        return workloadName;
    }

    /** The ServiceAccount the pods run as, which is the principal the mesh sees. */
    public String identity() {
        return identity;
    }

    /** The platform's own services, which every profile deploys; the acquirer simulators may be left out. */
    public static List<Workload> platformServices() {
        return List.of(GATEWAY, VAULT, TRANSACTION, AUTH, RISK, LEDGER, SETTLEMENT);
    }

    /** Istio's principal for this workload's ServiceAccount in a namespace. */
    public String principal(String namespace) {
        return "cluster.local/ns/" + namespace + "/sa/" + identity;
    }
}
