{{/*
The application properties of one workload: the same keys platform-local's ServiceConfig writes for the local
platform, with Kubernetes' addresses. Passwords are not here: they come from Secrets as environment variables.
Call with the workload context (see fleet.yaml).
*/}}
{{- define "nightjar.applicationProperties" -}}
{{- $root := .root -}}
{{- $w := .w -}}
{{- $v := .v -}}
{{- $ns := $root.Release.Namespace -}}
{{- $p := dict -}}
{{- $_ := set $p "server.port" (toString $w.port) -}}
{{- $_ := set $p "management.server.port" (toString $w.managementPort) -}}
{{- if $root.Values.istio.enabled -}}
{{- $_ := set $p "nightjar.tls.enabled" "false" -}}
{{- $_ := set $p "nightjar.tls.trust-mesh-identity" "true" -}}
{{- else -}}
{{- $_ := set $p "nightjar.tls.enabled" "true" -}}
{{- $_ := set $p "nightjar.tls.dir" "/etc/nightjar/tls" -}}
{{- $_ := set $p "nightjar.tls.identity" $w.identity -}}
{{- end -}}
{{- if not $w.noKafka -}}
{{- $_ := set $p "spring.kafka.bootstrap-servers" (include "nightjar.kafkaBootstrap" $root) -}}
{{- end -}}
{{- if and (not $w.noKafka) (include "nightjar.kafkaTls" $root) -}}
{{- $_ := set $p "spring.kafka.security.protocol" "SSL" -}}
{{- $_ := set $p "spring.kafka.ssl.trust-store-type" "PEM" -}}
{{- $_ := set $p "spring.kafka.ssl.trust-store-location" "file:/etc/nightjar/kafka-ca/ca.crt" -}}
{{- end -}}
{{- range $w.calls -}}
{{- $_ := set $p (printf "nightjar.clients.%s.url" .) (printf "%s://%s.%s.svc:%d" (include "nightjar.scheme" $root) . $ns (int (index $.ports .))) -}}
{{- end -}}
{{- if $w.callsAcquirers -}}
{{- range $name := list "acquirer-a" "acquirer-b" -}}
{{- $_ := set $p (printf "nightjar.acquirers.%s.url" $name) (include "nightjar.acquirerUrl" (dict "root" $root "name" $name)) -}}
{{- end -}}
{{- end -}}
{{- if $w.sharded -}}
{{- range $i, $db := $w.databases -}}
{{- $_ := set $p (printf "nightjar.shards.urls[%d]" $i) (include "nightjar.jdbcUrl" (dict "root" $root "database" $db)) -}}
{{- end -}}
{{- $_ := set $p "nightjar.shards.username" $v.database.appUsername -}}
{{- $_ := set $p "nightjar.shards.owner-username" $v.database.ownerUsername -}}
{{- $_ := set $p "nightjar.shards.placeholders.app_role" $v.database.appUsername -}}
{{- else if $w.databases -}}
{{- $_ := set $p "spring.datasource.url" (include "nightjar.jdbcUrl" (dict "root" $root "database" (first $w.databases))) -}}
{{- $_ := set $p "spring.datasource.username" $v.database.appUsername -}}
{{- $_ := set $p "spring.flyway.user" $v.database.ownerUsername -}}
{{- $_ := set $p "spring.flyway.placeholders.app_role" $v.database.appUsername -}}
{{- /* Replicas starting together queue on Flyway's PostgreSQL advisory lock; let them wait up to 5 minutes. */ -}}
{{- $_ := set $p "spring.flyway.lock-retry-count" "300" -}}
{{- end -}}
{{- if eq $w.name "vault-service" -}}
{{- $k := $root.Values.keys -}}
{{- $_ := set $p "nightjar.vault.kek.provider" $k.provider -}}
{{- if eq $k.provider "vault-transit" -}}
{{- $_ := set $p "nightjar.vault.kek.transit.uri" $k.transit.address -}}
{{- $_ := set $p "nightjar.vault.kek.transit.mount" $k.transit.mount -}}
{{- $_ := set $p "nightjar.vault.kek.transit.key-name" $k.transit.keyName -}}
{{- $_ := set $p "nightjar.vault.kek.transit.authentication" "kubernetes" -}}
{{- $_ := set $p "nightjar.vault.kek.transit.kubernetes-role" $k.transit.role -}}
{{- $_ := set $p "nightjar.vault.kek.transit.kubernetes-token-path" "/var/run/secrets/kubernetes.io/serviceaccount/token" -}}
{{- $_ := set $p "nightjar.vault.kek.transit.create-key-if-missing" (toString $k.transit.createKeyIfMissing) -}}
{{- if $k.transit.caSecret.name -}}
{{- $_ := set $p "spring.ssl.bundle.pem.vault-server.truststore.certificate" "file:/etc/nightjar/vault-ca/ca.crt" -}}
{{- $_ := set $p "nightjar.vault.kek.transit.ssl-bundle" "vault-server" -}}
{{- end -}}
{{- else -}}
{{- if $k.localKeystore.keystoreKey -}}
{{- $_ := set $p "nightjar.vault.keystore.path" "/etc/nightjar/keystore/vault-kek.p12" -}}
{{- $_ := set $p "nightjar.vault.keystore.create-if-missing" "false" -}}
{{- else -}}
{{- $_ := set $p "nightjar.vault.keystore.path" "/var/lib/nightjar/keys/vault-kek.p12" -}}
{{- $_ := set $p "nightjar.vault.keystore.create-if-missing" "true" -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if eq $w.name "gateway-service" -}}
{{- $_ := set $p "nightjar.gateway.issuer" $v.issuer -}}
{{- end -}}
{{- if .acquirer -}}
{{- $_ := set $p "nightjar.acquirer.name" $w.name -}}
{{- $_ := set $p "nightjar.acquirer.data-dir" "/var/lib/nightjar/acquirer" -}}
{{- $_ := set $p "nightjar.acquirer.max-records" (toString $v.maxRecords) -}}
{{- end -}}
{{- $_ := set $p "management.tracing.sampling.probability" (toString $root.Values.tracing.samplingProbability) -}}
{{- $_ := set $p "nightjar.tracing.max-traces-per-second" (toString $root.Values.tracing.maxTracesPerSecond) -}}
{{- if $root.Values.tracing.otlp.endpoint -}}
{{- $_ := set $p "management.tracing.export.enabled" "true" -}}
{{- $_ := set $p "management.opentelemetry.tracing.export.otlp.endpoint" $root.Values.tracing.otlp.endpoint -}}
{{- end -}}
{{- range $key, $value := $v.config -}}
{{- $_ := set $p $key (toString $value) -}}
{{- end -}}
# Rendered by the nightjar chart for {{ $w.name }}; Spring reads it through SPRING_CONFIG_ADDITIONAL_LOCATION.
{{- range $key := keys $p | sortAlpha }}
{{ $key }}={{ index $p $key }}
{{- end }}
{{- end -}}
