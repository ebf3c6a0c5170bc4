{{/*
The fleet, in one place. Each workload: its name (= Service, ServiceAccount, mesh identity unless identity says
otherwise), its ports, the databases it owns, whether it is sharded, the services it calls and whether it calls
the acquirers (the call graph of dev.nightjar.common.security.CallGraph: NetworkPolicies and client URLs are
derived from it), and whether operators may call it (CallGraph's OPERATOR rules).
*/}}
{{- define "nightjar.fleet" -}}
gateway:
  name: gateway-service
  component: api-gateway
  operatorCalls: true
  port: 8443
  managementPort: 9200
  databases: [gateway]
  calls: [vault-service, transaction-service, risk-service]
  callsAcquirers: false
transaction:
  name: transaction-service
  component: payments
  port: 9102
  managementPort: 9202
  databases: [transaction_0, transaction_1]
  sharded: true
  calls: [auth-service, risk-service]
  callsAcquirers: false
vault:
  name: vault-service
  operatorCalls: true
  # The vault never touches Kafka: no broker address, no Kafka egress.
  noKafka: true
  component: card-vault
  port: 9101
  managementPort: 9201
  databases: [vault]
  calls: []
  callsAcquirers: false
auth:
  name: auth-service
  component: authorization
  port: 9103
  managementPort: 9203
  databases: [auth]
  calls: [vault-service]
  callsAcquirers: true
risk:
  name: risk-service
  component: risk
  port: 9104
  managementPort: 9204
  databases: [risk]
  calls: []
  callsAcquirers: false
ledger:
  name: ledger-service
  operatorCalls: true
  component: ledger
  port: 9105
  managementPort: 9205
  databases: [ledger_0, ledger_1]
  sharded: true
  statefulSet: true
  calls: []
  callsAcquirers: false
settlement:
  name: settlement-service
  operatorCalls: true
  component: settlement
  port: 9106
  managementPort: 9206
  databases: [settlement]
  calls: [ledger-service]
  callsAcquirers: true
{{- end -}}

{{/* The acquirer simulator instances: one identity, two workloads. */}}
{{- define "nightjar.acquirers" -}}
acquirer-a:
  name: acquirer-a
  operatorCalls: true
  identity: acquirer-simulator
  component: acquirer-simulator
  noKafka: true
  port: 9107
  managementPort: 9207
acquirer-b:
  name: acquirer-b
  operatorCalls: true
  identity: acquirer-simulator
  component: acquirer-simulator
  noKafka: true
  port: 9107
  managementPort: 9207
{{- end -}}

{{- define "nightjar.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object. Call with (dict "root" $ "name" <workload> "component" <component>). */}}
{{- define "nightjar.labels" -}}
{{ include "nightjar.selectorLabels" . }}
app.kubernetes.io/part-of: nightjar
app.kubernetes.io/component: {{ .component | quote }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service | quote }}
helm.sh/chart: {{ include "nightjar.chart" .root | quote }}
{{- range $k, $v := .root.Values.commonLabels }}
{{ $k }}: {{ $v | quote }}
{{- end }}
{{- end -}}

{{- define "nightjar.selectorLabels" -}}
app.kubernetes.io/name: {{ .name | quote }}
app.kubernetes.io/instance: {{ .root.Release.Name | quote }}
{{- end -}}

{{/* Image reference. Call with (dict "registry" r "repository" p "tag" t "digest" d); a digest wins over a tag. */}}
{{- define "nightjar.imageRef" -}}
{{- $prefix := ternary .repository (printf "%s/%s" .registry .repository) (empty .registry) -}}
{{- if .digest -}}
{{- printf "%s@%s" $prefix .digest -}}
{{- else -}}
{{- printf "%s:%s" $prefix (toString .tag) -}}
{{- end -}}
{{- end -}}

{{/* A Nightjar image. Call with (dict "root" $ "image" <workload image values>). */}}
{{- define "nightjar.serviceImage" -}}
{{- $tag := .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- include "nightjar.imageRef" (dict "registry" .root.Values.image.registry "repository" .image.repository "tag" $tag "digest" .image.digest) -}}
{{- end -}}

{{- define "nightjar.kafkaName" -}}
{{- printf "%s-kafka" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "nightjar.pgName" -}}
{{- printf "%s-pg-%s" .root.Release.Name .cluster | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Kafka bootstrap servers the services use. */}}
{{- define "nightjar.kafkaBootstrap" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- $port := ternary 9093 9092 (eq .Values.kafka.strimzi.clientListener "tls") -}}
{{- printf "%s-kafka-bootstrap.%s.svc:%d" (include "nightjar.kafkaName" .) .Release.Namespace $port -}}
{{- else -}}
{{- required "kafka.external.bootstrapServers is required when kafka.mode=external" .Values.kafka.external.bootstrapServers -}}
{{- end -}}
{{- end -}}

{{/* Whether the services speak TLS to Kafka, and the Secret/key of the CA they trust. */}}
{{- define "nightjar.kafkaTls" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
{{- if eq .Values.kafka.strimzi.clientListener "tls" -}}
{{- printf "%s-cluster-ca-cert/ca.crt" (include "nightjar.kafkaName" .) -}}
{{- end -}}
{{- else if .Values.kafka.external.tls.enabled -}}
{{- printf "%s/%s" (required "kafka.external.tls.caSecret.name is required when kafka.external.tls.enabled" .Values.kafka.external.tls.caSecret.name) .Values.kafka.external.tls.caSecret.key -}}
{{- end -}}
{{- end -}}

{{/*
The JDBC URL of one database. Patroni: the cluster's primary Service (whose endpoints Patroni points at the
leader) first, then every pod of the cluster by its stable name, with targetServerType=primary: the driver
connects to whichever is the primary now, also in the seconds after a failover before the Service follows.
Always more than one host. Call with (dict "root" $ "database" <name>).
*/}}
{{- define "nightjar.jdbcUrl" -}}
{{- $root := .root -}}
{{- $db := .database -}}
{{- $params := printf "targetServerType=primary&%s" $root.Values.postgres.jdbcParameters | trimSuffix "&" -}}
{{- if eq $root.Values.postgres.mode "external" -}}
{{- $url := required (printf "postgres.external.urls.%s is required when postgres.mode=external" $db) (index $root.Values.postgres.external.urls $db) -}}
{{- if or (not (contains "," (regexReplaceAll "/[^/]*$" (trimPrefix "jdbc:postgresql://" $url) ""))) (not (contains "targetServerType=primary" $url)) -}}
{{- fail (printf "postgres.external.urls.%s must name more than one host and targetServerType=primary" $db) -}}
{{- end -}}
{{- $url -}}
{{- else -}}
{{- $found := "" -}}
{{- range $root.Values.postgres.patroni.clusters -}}
{{- if has $db .databases -}}{{- $found = .name -}}{{- end -}}
{{- end -}}
{{- if not $found -}}
{{- fail (printf "database %s is on none of postgres.patroni.clusters" $db) -}}
{{- end -}}
{{- $name := include "nightjar.pgName" (dict "root" $root "cluster" $found) -}}
{{- $ns := $root.Release.Namespace -}}
{{- $hosts := list (printf "%s.%s.svc:5432" $name $ns) -}}
{{- range $i, $_ := until (int $root.Values.postgres.patroni.replicas) -}}
{{- $hosts = append $hosts (printf "%s-%d.%s-headless.%s.svc:5432" $name $i $name $ns) -}}
{{- end -}}
{{- printf "jdbc:postgresql://%s/%s?%s" (join "," $hosts) $db $params -}}
{{- end -}}
{{- end -}}

{{/* The URL scheme between services: the services' own TLS, or plain HTTP inside the mesh's mTLS. */}}
{{- define "nightjar.scheme" -}}
{{- ternary "http" "https" .Values.istio.enabled -}}
{{- end -}}

{{/* URL of an acquirer. Call with (dict "root" $ "name" "acquirer-a"). */}}
{{- define "nightjar.acquirerUrl" -}}
{{- if .root.Values.acquirers.simulator.enabled -}}
{{- printf "%s://%s.%s.svc:9107" (include "nightjar.scheme" .root) .name .root.Release.Namespace -}}
{{- else -}}
{{- required (printf "acquirers.urls.%s is required when acquirers.simulator.enabled=false" .name) (index .root.Values.acquirers.urls .name) -}}
{{- end -}}
{{- end -}}

{{/* Pod-level restricted security context of the Nightjar services. */}}
{{- define "nightjar.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 65532
runAsGroup: 65532
fsGroup: 65532
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level restricted security context (every container, init containers too). */}}
{{- define "nightjar.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | default 65532 }}
{{- if .runAsGroup }}
runAsGroup: {{ .runAsGroup }}
{{- end }}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Zone spread. Call with (dict "root" $ "name" <workload>). */}}
{{- define "nightjar.topologySpread" -}}
- maxSkew: 1
  topologyKey: {{ .root.Values.topologySpread.topologyKey }}
  whenUnsatisfiable: {{ .root.Values.topologySpread.whenUnsatisfiable }}
  labelSelector:
    matchLabels:
      {{- include "nightjar.selectorLabels" . | nindent 6 }}
- maxSkew: 1
  topologyKey: kubernetes.io/hostname
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "nightjar.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/* Istio pod labels (sidecar injection), when the mesh is on. */}}
{{- define "nightjar.istioPodLabels" -}}
{{- if .Values.istio.enabled }}
{{- if .Values.istio.revision }}
istio.io/rev: {{ .Values.istio.revision | quote }}
{{- else }}
sidecar.istio.io/inject: "true"
{{- end }}
{{- end }}
{{- end -}}

{{/* Container security context for Strimzi-managed containers (Strimzi picks the image's own non-root user). */}}
{{- define "nightjar.strimziContainerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}
