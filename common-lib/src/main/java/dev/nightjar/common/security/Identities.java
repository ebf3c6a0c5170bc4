package dev.nightjar.common.security;

import java.util.List;

/** The workload identities of the fleet: each service's name, as it appears in its certificate. */
public final class Identities {

    public static final String GATEWAY = "gateway-service";
    public static final String VAULT = "vault-service";
    public static final String TRANSACTION = "transaction-service";
    public static final String AUTH = "auth-service";
    public static final String RISK = "risk-service";
    public static final String LEDGER = "ledger-service";
    public static final String SETTLEMENT = "settlement-service";
    public static final String ACQUIRER_SIMULATOR = "acquirer-simulator";
    /** A person or tool operating the platform: the nightjar CLI, the launcher's health checks, tests. */
    public static final String OPERATOR = "nightjar-operator";

    public static final List<String> SERVICES = List.of(
            GATEWAY, VAULT, TRANSACTION, AUTH, RISK, LEDGER, SETTLEMENT, ACQUIRER_SIMULATOR);

    /** Trust domain of the SPIFFE ids in locally issued certificates; Istio uses cluster.local. */
    public static final String LOCAL_TRUST_DOMAIN = "nightjar.local";
    public static final String LOCAL_NAMESPACE = "nightjar";

    private Identities() {
    }

    /** The SPIFFE id a workload's certificate carries, in Istio's shape: {@code spiffe://<domain>/ns/<ns>/sa/<name>}. */
    public static String spiffeId(String trustDomain, String namespace, String workload) {
        return "spiffe://" + trustDomain + "/ns/" + namespace + "/sa/" + workload;
    }

    /** The workload name in a SPIFFE id of that shape, or null when the id is not of that shape. */
    public static String workloadOf(String spiffeId) {
        if (spiffeId == null || !spiffeId.startsWith("spiffe://")) {
            return null;
        }
        int sa = spiffeId.lastIndexOf("/sa/");
        if (sa < 0 || sa + 4 >= spiffeId.length()) {
            return null;
        }
        String name = spiffeId.substring(sa + 4);
        return name.contains("/") ? null : name;
    }
}
