package dev.nightjar.deploy.schema;

/**
 * Small valid manifests, one per API group the chart uses. Each negative test changes one thing in one
 * of them, so the valid twin proves that the change alone is what the reader rejects.
 */
final class ValidFixtures {

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: risk-service
              labels:
                app.kubernetes.io/name: risk-service
            spec:
              replicas: 2
              selector:
                matchLabels:
                  app.kubernetes.io/name: risk-service
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: risk-service
                spec:
                  serviceAccountName: risk-service
                  containers:
                    - name: risk-service
                      image: nightjar/risk-service:0.1.0
                      env:
                        - name: SERVER_PORT
                          value: "8080"
                      resources:
                        requests: {cpu: 100m, memory: 256Mi}
                        limits: {cpu: 1, memory: 512Mi}
                      securityContext:
                        runAsNonRoot: true
                        readOnlyRootFilesystem: true
                        allowPrivilegeEscalation: false
                        capabilities:
                          drop: [ALL]
                        seccompProfile:
                          type: RuntimeDefault
            """;

    static final String KAFKA = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: nightjar
              annotations:
                strimzi.io/node-pools: enabled
                strimzi.io/kraft: enabled
            spec:
              kafka:
                listeners:
                  - name: tls
                    port: 9093
                    type: internal
                    tls: true
                    authentication:
                      type: tls
                config:
                  min.insync.replicas: 2
              entityOperator:
                topicOperator: {}
            """;

    static final String KAFKA_NODE_POOL = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaNodePool
            metadata:
              name: broker
              labels:
                strimzi.io/cluster: nightjar
            spec:
              replicas: 3
              roles: [controller, broker]
              storage:
                type: persistent-claim
                size: 10Gi
            """;

    static final String KAFKA_TOPIC = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: payment-events
              labels:
                strimzi.io/cluster: nightjar
            spec:
              topicName: payment_events
              partitions: 12
              replicas: 3
              config:
                cleanup.policy: delete
            """;

    static final String AUTHORIZATION_POLICY = """
            apiVersion: security.istio.io/v1
            kind: AuthorizationPolicy
            metadata:
              name: settlement-service-deny-risk
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: settlement-service
              action: DENY
              rules:
                - from:
                    - source:
                        principals: ["cluster.local/ns/nightjar/sa/risk-service"]
            """;

    static final String PEER_AUTHENTICATION = """
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata:
              name: default
            spec:
              mtls:
                mode: STRICT
            """;

    static final String SERVICE_MONITOR = """
            apiVersion: monitoring.coreos.com/v1
            kind: ServiceMonitor
            metadata:
              name: risk-service
            spec:
              selector:
                matchLabels:
                  app.kubernetes.io/name: risk-service
              endpoints:
                - port: management
                  path: /actuator/prometheus
                  interval: 30s
                  scheme: https
            """;

    static final String PROMETHEUS_RULE = """
            apiVersion: monitoring.coreos.com/v1
            kind: PrometheusRule
            metadata:
              name: nightjar
            spec:
              groups:
                - name: nightjar
                  rules:
                    - alert: PaymentErrorRateHigh
                      expr: sum(rate(http_server_requests_seconds_count{status=~"5.."}[5m])) > 1
                      for: 5m
                      labels:
                        severity: page
            """;

    private ValidFixtures() {
    }
}
