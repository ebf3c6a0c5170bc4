{{/*
The objects of one Nightjar workload. Every define here takes the workload context built in fleet.yaml:
  root     the chart's root context
  w        the fleet entry (name, identity, component, port, managementPort, databases, sharded, calls, ...)
  v        the workload's values (services.<key> or acquirers.simulator)
  acquirer true for acquirer-a / acquirer-b
  replicas the replica count (1 for the acquirers)
  ports    service name -> application port, for client URLs
*/}}

{{- define "nightjar.workload.labels" -}}
{{ include "nightjar.labels" (dict "root" .root "name" .w.name "component" .w.component) }}
{{- end -}}

{{- define "nightjar.workload.selector" -}}
{{ include "nightjar.selectorLabels" (dict "root" .root "name" .w.name) }}
{{- end -}}

{{- define "nightjar.workload.tlsSecret" -}}
{{- if .acquirer -}}
{{- printf "%s%s" .w.name .v.tls.existingSecretSuffix -}}
{{- else -}}
{{- .v.tls.existingSecret -}}
{{- end -}}
{{- end -}}

{{- define "nightjar.workload.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .w.name }}-config
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
data:
  application.properties: |
    {{- include "nightjar.applicationProperties" . | nindent 4 }}
{{- end -}}

{{- define "nightjar.workload.service" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .w.name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
  {{- with (.v.service | default (dict)).annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ (.v.service | default (dict)).type | default "ClusterIP" }}
  selector:
    {{- include "nightjar.workload.selector" . | nindent 4 }}
  ports:
    - name: {{ ternary "http" "https" .root.Values.istio.enabled }}
      port: {{ .w.port }}
      targetPort: app
      protocol: TCP
      appProtocol: {{ ternary "http" "https" .root.Values.istio.enabled }}
    - name: {{ ternary "http-management" "https-management" .root.Values.istio.enabled }}
      port: {{ .w.managementPort }}
      targetPort: management
      protocol: TCP
      appProtocol: {{ ternary "http" "https" .root.Values.istio.enabled }}
{{- end -}}

{{- define "nightjar.workload.headlessService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .w.name }}-headless
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector:
    {{- include "nightjar.workload.selector" . | nindent 4 }}
  ports:
    - name: {{ ternary "http" "https" .root.Values.istio.enabled }}
      port: {{ .w.port }}
      targetPort: app
      protocol: TCP
{{- end -}}

{{- define "nightjar.workload.probe" -}}
httpGet:
  path: {{ .path }}
  port: management
  scheme: {{ ternary "HTTP" "HTTPS" .root.Values.istio.enabled }}
{{- end -}}

{{/* The pod template (Deployment and StatefulSet alike). */}}
{{- define "nightjar.workload.podTemplate" -}}
{{- $root := .root -}}
{{- $w := .w -}}
{{- $v := .v -}}
{{- $tlsOn := not $root.Values.istio.enabled -}}
{{- $kafkaCa := ternary "" (include "nightjar.kafkaTls" $root) (default false $w.noKafka) -}}
{{- $isVault := eq $w.name "vault-service" -}}
{{- $keys := $root.Values.keys -}}
metadata:
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
    {{- include "nightjar.istioPodLabels" $root | nindent 4 }}
    {{- if not $w.noKafka }}
    nightjar.dev/kafka-client: "true"
    {{- end }}
  annotations:
    checksum/config: {{ include "nightjar.applicationProperties" . | sha256sum }}
    {{- if $root.Values.istio.enabled }}
    # The management port stays outside the sidecar: kubelet probes and Prometheus reach it in plain HTTP,
    # and the NetworkPolicy lets only Prometheus in.
    traffic.sidecar.istio.io/excludeInboundPorts: {{ $w.managementPort | quote }}
    proxy.istio.io/config: '{"holdApplicationUntilProxyStarts": true}'
    {{- end }}
    {{- with $v.podAnnotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  serviceAccountName: {{ $w.identity }}
  automountServiceAccountToken: {{ and $isVault (eq $keys.provider "vault-transit") }}
  enableServiceLinks: false
  terminationGracePeriodSeconds: {{ $v.terminationGracePeriodSeconds }}
  {{- with $v.priorityClassName }}
  priorityClassName: {{ . }}
  {{- end }}
  {{- with $root.Values.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- include "nightjar.podSecurityContext" . | nindent 4 }}
  {{- with $v.nodeSelector }}
  nodeSelector:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.tolerations }}
  tolerations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  topologySpreadConstraints:
    {{- include "nightjar.topologySpread" (dict "root" $root "name" $w.name) | nindent 4 }}
  containers:
    - name: {{ $w.identity }}
      image: {{ include "nightjar.serviceImage" (dict "root" $root "image" $v.image) }}
      imagePullPolicy: {{ $root.Values.image.pullPolicy }}
      ports:
        - name: app
          containerPort: {{ $w.port }}
          protocol: TCP
        - name: management
          containerPort: {{ $w.managementPort }}
          protocol: TCP
      env:
        - name: NIGHTJAR_INSTANCE
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        {{- if $w.statefulSet }}
        # The pod name is also the Kafka transactional id: stable across restarts, unique among replicas.
        - name: NIGHTJAR_LEDGER_TRANSACTIONALID
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        {{- end }}
        - name: SPRING_CONFIG_ADDITIONAL_LOCATION
          value: "optional:file:/etc/nightjar/config/"
        - name: JAVA_TOOL_OPTIONS
          value: {{ $v.javaToolOptions | default $root.Values.javaToolOptions | quote }}
        {{- if $w.databases }}
        {{- if $w.sharded }}
        - name: NIGHTJAR_SHARDS_PASSWORD
          valueFrom:
            secretKeyRef: { name: {{ $v.database.existingSecret }}, key: app-password }
        - name: NIGHTJAR_SHARDS_OWNERPASSWORD
          valueFrom:
            secretKeyRef: { name: {{ $v.database.existingSecret }}, key: owner-password }
        {{- else }}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef: { name: {{ $v.database.existingSecret }}, key: app-password }
        - name: SPRING_FLYWAY_PASSWORD
          valueFrom:
            secretKeyRef: { name: {{ $v.database.existingSecret }}, key: owner-password }
        {{- end }}
        {{- end }}
        {{- if and $isVault (eq $keys.provider "local-keystore") }}
        - name: NIGHTJAR_VAULT_KEYSTORE_PASSWORD
          valueFrom:
            secretKeyRef: { name: {{ $keys.localKeystore.existingSecret }}, key: password }
        {{- end }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- include "nightjar.containerSecurityContext" (dict) | nindent 8 }}
      startupProbe:
        {{- include "nightjar.workload.probe" (dict "root" $root "path" "/actuator/health/liveness") | nindent 8 }}
        periodSeconds: 5
        timeoutSeconds: 3
        # Up to 5 minutes: Flyway migrations (queued behind other replicas' advisory lock) run before readiness.
        failureThreshold: 60
      livenessProbe:
        {{- include "nightjar.workload.probe" (dict "root" $root "path" "/actuator/health/liveness") | nindent 8 }}
        periodSeconds: 10
        timeoutSeconds: 3
        failureThreshold: 3
      readinessProbe:
        {{- include "nightjar.workload.probe" (dict "root" $root "path" "/actuator/health/readiness") | nindent 8 }}
        periodSeconds: 5
        timeoutSeconds: 3
        failureThreshold: 2
      lifecycle:
        preStop:
          # Let endpoints and the mesh stop sending before Spring's graceful shutdown starts.
          sleep:
            seconds: 5
      volumeMounts:
        - name: config
          mountPath: /etc/nightjar/config
          readOnly: true
        - name: tmp
          mountPath: /tmp
        {{- if $tlsOn }}
        - name: tls
          mountPath: /etc/nightjar/tls
          readOnly: true
        {{- end }}
        {{- if $kafkaCa }}
        - name: kafka-ca
          mountPath: /etc/nightjar/kafka-ca
          readOnly: true
        {{- end }}
        {{- if $isVault }}
        {{- if and (eq $keys.provider "vault-transit") $keys.transit.caSecret.name }}
        - name: vault-ca
          mountPath: /etc/nightjar/vault-ca
          readOnly: true
        {{- else if and (eq $keys.provider "local-keystore") $keys.localKeystore.keystoreKey }}
        - name: keystore
          mountPath: /etc/nightjar/keystore
          readOnly: true
        {{- else if eq $keys.provider "local-keystore" }}
        - name: keystore
          mountPath: /var/lib/nightjar/keys
        {{- end }}
        {{- end }}
        {{- if .acquirer }}
        - name: data
          mountPath: /var/lib/nightjar/acquirer
        {{- end }}
  volumes:
    - name: config
      configMap:
        name: {{ $w.name }}-config
    - name: tmp
      emptyDir:
        sizeLimit: 256Mi
    {{- if $tlsOn }}
    - name: tls
      secret:
        secretName: {{ include "nightjar.workload.tlsSecret" . }}
        defaultMode: 0440
        # The file names the services expect: <identity>.crt, <identity>.key and ca.crt.
        items:
          - { key: tls.crt, path: {{ $w.identity }}.crt }
          - { key: tls.key, path: {{ $w.identity }}.key }
          - { key: ca.crt, path: ca.crt }
    {{- end }}
    {{- if $kafkaCa }}
    - name: kafka-ca
      secret:
        secretName: {{ first (splitList "/" $kafkaCa) }}
        defaultMode: 0440
        items:
          - { key: {{ last (splitList "/" $kafkaCa) }}, path: ca.crt }
    {{- end }}
    {{- if $isVault }}
    {{- if and (eq $keys.provider "vault-transit") $keys.transit.caSecret.name }}
    - name: vault-ca
      secret:
        secretName: {{ $keys.transit.caSecret.name }}
        defaultMode: 0440
        items:
          - { key: {{ $keys.transit.caSecret.key }}, path: ca.crt }
    {{- else if and (eq $keys.provider "local-keystore") $keys.localKeystore.keystoreKey }}
    - name: keystore
      secret:
        secretName: {{ $keys.localKeystore.existingSecret }}
        defaultMode: 0440
        items:
          - { key: {{ $keys.localKeystore.keystoreKey }}, path: vault-kek.p12 }
    {{- else if eq $keys.provider "local-keystore" }}
    - name: keystore
      emptyDir:
        sizeLimit: 16Mi
    {{- end }}
    {{- end }}
    {{- if .acquirer }}
    - name: data
      {{- if $v.persistence.enabled }}
      persistentVolumeClaim:
        claimName: {{ $w.name }}-data
      {{- else }}
      emptyDir:
        sizeLimit: {{ $v.persistence.size }}
      {{- end }}
    {{- end }}
{{- end -}}

{{- define "nightjar.workload.controller" -}}
{{- $auto := and (not .acquirer) .v.autoscaling.enabled -}}
apiVersion: apps/v1
kind: {{ ternary "StatefulSet" "Deployment" (.w.statefulSet | default false) }}
metadata:
  name: {{ .w.name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
spec:
  {{- if not $auto }}
  replicas: {{ .replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      {{- include "nightjar.workload.selector" . | nindent 6 }}
  {{- if .w.statefulSet }}
  serviceName: {{ .w.name }}-headless
  # Pods are independent (their state is in PostgreSQL and Kafka): start and replace them in parallel.
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  {{- else if .acquirer }}
  strategy:
    # One writer of the journal at a time.
    type: Recreate
  {{- else }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 0
      maxSurge: 1
  {{- end }}
  template:
    {{- include "nightjar.workload.podTemplate" . | nindent 4 }}
{{- end -}}

{{- define "nightjar.workload.serviceAccount" -}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ .w.identity }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.labels" (dict "root" .root "name" .w.identity "component" .w.component) | nindent 4 }}
# Only vault-service mounts its token (to log in to Vault); the pod spec decides, per workload.
automountServiceAccountToken: false
{{- end -}}

{{- define "nightjar.workload.pdb" -}}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ .w.name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ .v.podDisruptionBudget.maxUnavailable }}
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      {{- include "nightjar.workload.selector" . | nindent 6 }}
{{- end -}}

{{- define "nightjar.workload.hpa" -}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ .w.name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: {{ ternary "StatefulSet" "Deployment" (.w.statefulSet | default false) }}
    name: {{ .w.name }}
  minReplicas: {{ .v.autoscaling.minReplicas }}
  maxReplicas: {{ .v.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ .v.autoscaling.targetCPUUtilizationPercentage }}
    {{- with include "nightjar.forecast.hpaMetric" . }}{{ . | nindent 4 }}{{ end }}
  behavior:
    scaleDown:
      # Each scale-down moves Kafka partitions (a rebalance): slowly, one pod at a time.
      stabilizationWindowSeconds: 300
      policies:
        - type: Pods
          value: 1
          periodSeconds: 120
    scaleUp:
      stabilizationWindowSeconds: 0
      policies:
        - type: Pods
          value: 2
          periodSeconds: 60
{{- end -}}

{{- define "nightjar.workload.serviceMonitor" -}}
{{- $m := .root.Values.metrics.serviceMonitor -}}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ .w.name }}
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
    {{- with $m.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "nightjar.workload.selector" . | nindent 6 }}
  namespaceSelector:
    matchNames:
      - {{ .root.Release.Namespace }}
  endpoints:
    - port: {{ ternary "http-management" "https-management" .root.Values.istio.enabled }}
      path: /actuator/prometheus
      interval: {{ $m.interval }}
      scrapeTimeout: {{ $m.scrapeTimeout }}
      scheme: {{ ternary "http" "https" .root.Values.istio.enabled }}
      {{- if not .root.Values.istio.enabled }}
      # The management port serves TLS without asking for a client certificate.
      tlsConfig:
        serverName: {{ .w.name }}.{{ .root.Release.Namespace }}.svc
        ca:
          secret:
            name: {{ include "nightjar.workload.tlsSecret" . }}
            key: ca.crt
      {{- end }}
{{- end -}}

{{- define "nightjar.workload.certificate" -}}
{{- $cm := .root.Values.tls.certManager -}}
{{- $ns := .root.Release.Namespace -}}
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: {{ .w.name }}
  namespace: {{ $ns }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
spec:
  secretName: {{ include "nightjar.workload.tlsSecret" . }}
  duration: {{ $cm.duration }}
  renewBefore: {{ $cm.renewBefore }}
  privateKey:
    algorithm: ECDSA
    size: 256
    encoding: PKCS8
    rotationPolicy: Always
  usages:
    - server auth
    - client auth
    - digital signature
  commonName: {{ .w.identity }}
  dnsNames:
    - {{ .w.name }}
    - {{ .w.name }}.{{ $ns }}
    - {{ .w.name }}.{{ $ns }}.svc
    - {{ .w.name }}.{{ $ns }}.svc.cluster.local
    # the service's own request-path warm-up calls it on localhost, inside the pod, before it is ready
    - localhost
  uris:
    - spiffe://{{ .root.Values.istio.trustDomain }}/ns/{{ $ns }}/sa/{{ .w.identity }}
  issuerRef:
    name: {{ $cm.issuerRef.name }}
    kind: {{ $cm.issuerRef.kind }}
    group: {{ $cm.issuerRef.group }}
{{- end -}}

{{- define "nightjar.workload.pvc" -}}
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: {{ .w.name }}-data
  namespace: {{ .root.Release.Namespace }}
  labels:
    {{- include "nightjar.workload.labels" . | nindent 4 }}
  annotations:
    # The simulated network's records outlive an uninstall, like a database's.
    helm.sh/resource-policy: keep
spec:
  accessModes: ["ReadWriteOnce"]
  {{- with .v.persistence.storageClass }}
  storageClassName: {{ . }}
  {{- end }}
  resources:
    requests:
      storage: {{ .v.persistence.size }}
{{- end -}}
