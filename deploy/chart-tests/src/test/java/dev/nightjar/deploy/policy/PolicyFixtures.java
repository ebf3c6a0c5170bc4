package dev.nightjar.deploy.policy;

import dev.nightjar.deploy.chart.Manifest;
import dev.nightjar.deploy.chart.ManifestDocuments;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small render that obeys every policy: risk-service and settlement-service with their accounts,
 * budgets, network and mesh policies, and settlement's Patroni cluster. Each negative test changes one
 * line of it, so the change alone is what the policy reports.
 */
final class PolicyFixtures {

    static final List<Workload> SERVICES = List.of(Workload.RISK, Workload.SETTLEMENT);

    static final String COMPLIANT = """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: risk-service
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: settlement-service
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: risk-service
              labels: {app.kubernetes.io/name: risk-service}
            spec:
              replicas: 2
              selector:
                matchLabels: {app.kubernetes.io/name: risk-service}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: risk-service}
                spec:
                  serviceAccountName: risk-service
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  initContainers:
                    - name: wait-for-db
                      image: nightjar/risk-service:0.1.0
                      resources:
                        requests: {cpu: 10m, memory: 32Mi}
                        limits: {cpu: 100m, memory: 64Mi}
                      securityContext:
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                  containers:
                    - name: risk-service
                      image: nightjar/risk-service:0.1.0
                      env:
                        - name: SPRING_DATASOURCE_URL
                          value: "jdbc:postgresql://risk-db-0.risk-db:5432,risk-db-1.risk-db:5432/risk?targetServerType=primary&sslmode=verify-full"
                        - name: SPRING_DATASOURCE_PASSWORD
                          valueFrom:
                            secretKeyRef: {name: risk-db-credentials, key: password}
                        - name: NIGHTJAR_TLS_KEY_FILE
                          value: /var/run/secrets/nightjar/tls.key
                      resources:
                        requests: {cpu: 100m, memory: 256Mi}
                        limits: {cpu: "1", memory: 512Mi}
                      securityContext:
                        runAsUser: 10001
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: risk-service
            spec:
              maxUnavailable: 1
              selector:
                matchLabels: {app.kubernetes.io/name: risk-service}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: settlement-service
              labels: {app.kubernetes.io/name: settlement-service}
            spec:
              replicas: 1
              selector:
                matchLabels: {app.kubernetes.io/name: settlement-service}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: settlement-service}
                spec:
                  serviceAccountName: settlement-service
                  containers:
                    - name: settlement-service
                      image: nightjar/settlement-service:0.1.0
                      resources:
                        requests: {cpu: 100m, memory: 256Mi}
                        limits: {cpu: "1", memory: 512Mi}
                      securityContext:
                        runAsNonRoot: true
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                        seccompProfile: {type: RuntimeDefault}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settlement-db-patroni
              labels: {app.kubernetes.io/name: settlement-service}
            data:
              patroni.yml: |
                scope: settlement-db
                bootstrap:
                  dcs:
                    synchronous_mode: true
                    postgresql:
                      parameters:
                        password_encryption: scram-sha-256
                postgresql:
                  authentication:
                    superuser:
                      username: postgres
              application.properties: |
                spring.datasource.url=jdbc:postgresql://settlement-db-0.settlement-db:5432,settlement-db-1.settlement-db:5432/settlement?targetServerType=primary
                spring.datasource.password=${SETTLEMENT_DB_PASSWORD}
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: settlement-db
              labels: {app.kubernetes.io/name: settlement-service, app.kubernetes.io/component: database}
            spec:
              replicas: 3
              serviceName: settlement-db
              selector:
                matchLabels: {app.kubernetes.io/name: settlement-service, app.kubernetes.io/component: database}
              template:
                metadata:
                  labels: {app.kubernetes.io/name: settlement-service, app.kubernetes.io/component: database}
                spec:
                  serviceAccountName: settlement-db
                  securityContext:
                    runAsNonRoot: true
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: patroni
                      image: nightjar/patroni:3.0.2
                      args: [/etc/patroni/patroni.yml]
                      env:
                        - name: PATRONI_SUPERUSER_PASSWORD
                          valueFrom:
                            secretKeyRef: {name: settlement-db-credentials, key: superuser-password}
                      resources:
                        requests: {cpu: 250m, memory: 512Mi}
                        limits: {cpu: "2", memory: 1Gi}
                      securityContext:
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                  volumes:
                    - name: config
                      configMap: {name: settlement-db-patroni}
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata:
              name: settlement-db
            spec:
              maxUnavailable: 1
              selector:
                matchLabels: {app.kubernetes.io/name: settlement-service, app.kubernetes.io/component: database}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: risk-service
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/name: risk-service}
              policyTypes: [Ingress, Egress]
              ingress:
                - from:
                    - podSelector:
                        matchLabels: {app.kubernetes.io/name: transaction-service}
              egress:
                - to:
                    - podSelector:
                        matchLabels: {strimzi.io/cluster: nightjar}
                - to:
                    - namespaceSelector:
                        matchLabels: {kubernetes.io/metadata.name: kube-system}
                  ports:
                    - {protocol: UDP, port: 53}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: settlement-service
            spec:
              podSelector:
                matchLabels: {app.kubernetes.io/name: settlement-service}
              policyTypes: [Ingress, Egress]
              ingress:
                - from:
                    - podSelector:
                        matchLabels: {app.kubernetes.io/name: ledger-service}
              egress:
                - to:
                    - podSelector:
                        matchLabels: {app.kubernetes.io/name: ledger-service}
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: risk-service
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: risk-service}
              action: ALLOW
              rules:
                - from:
                    - source:
                        principals: [cluster.local/ns/nightjar/sa/transaction-service, cluster.local/ns/nightjar/sa/gateway-service]
                  to:
                    - operation:
                        paths: [/internal/v1/*]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: settlement-service
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: settlement-service}
              rules:
                - from:
                    - source:
                        principals: [cluster.local/ns/nightjar/sa/nightjar-operator]
            ---
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: settlement-service-deny-risk
            spec:
              selector:
                matchLabels: {app.kubernetes.io/name: settlement-service}
              action: DENY
              rules:
                - from:
                    - source:
                        principals: [cluster.local/ns/nightjar/sa/risk-service]
            """;

    private PolicyFixtures() {
    }

    static List<Manifest> compliant() {
        return ManifestDocuments.parse(COMPLIANT);
    }

    /** The compliant render with pieces of text replaced (target, replacement, ...); fails if the text is not there, so no test passes vacuously. */
    static List<Manifest> with(String... targetsAndReplacements) {
        String yaml = COMPLIANT;
        for (int i = 0; i + 1 < targetsAndReplacements.length; i += 2) {
            String target = targetsAndReplacements[i];
            if (!yaml.contains(target)) {
                throw new IllegalArgumentException("the fixture has no '" + target + "'");
            }
            yaml = yaml.replaceFirst(Pattern.quote(target), Matcher.quoteReplacement(targetsAndReplacements[i + 1]));
        }
        return ManifestDocuments.parse(yaml);
    }

    /** The compliant render with extra documents appended. */
    static List<Manifest> plus(String yaml) {
        return ManifestDocuments.parse(COMPLIANT + "---\n" + yaml);
    }
}
