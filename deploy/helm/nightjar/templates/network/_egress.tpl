{{- define "nightjar.netpol.dnsEgress" -}}
# DNS.
- to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: {{ .Values.networkPolicy.dns.namespace }}
      podSelector:
        matchLabels:
          {{- toYaml .Values.networkPolicy.dns.podLabels | nindent 10 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{- define "nightjar.netpol.kafkaEgress" -}}
{{- if eq .Values.kafka.mode "strimzi" -}}
# Kafka: the bootstrap Service's brokers and each broker directly.
- to:
    - podSelector:
        matchLabels:
          strimzi.io/cluster: {{ include "nightjar.kafkaName" . }}
          strimzi.io/broker-role: "true"
  ports:
    - port: {{ ternary 9093 9092 (eq .Values.kafka.strimzi.clientListener "tls") }}
      protocol: TCP
{{- else if .Values.networkPolicy.externalKafka.cidrs -}}
# Kafka (external).
- to:
    {{- range .Values.networkPolicy.externalKafka.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.externalKafka.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
{{- end -}}

{{/* Egress to the PostgreSQL clusters holding the given databases. Call with (dict "root" $ "databases" list). */}}
{{- define "nightjar.netpol.postgresEgress" -}}
{{- $root := .root -}}
{{- if eq $root.Values.postgres.mode "patroni" -}}
{{- $names := list -}}
{{- range $c := $root.Values.postgres.patroni.clusters -}}
{{- range $db := $.databases -}}
{{- if has $db $c.databases -}}
{{- $names = append $names (include "nightjar.pgName" (dict "root" $root "cluster" $c.name)) -}}
{{- end -}}
{{- end -}}
{{- end -}}
# Its PostgreSQL clusters (every member: the driver looks for the primary itself).
- to:
    - podSelector:
        matchLabels:
          app.kubernetes.io/instance: {{ $root.Release.Name | quote }}
        matchExpressions:
          - key: app.kubernetes.io/name
            operator: In
            values:
              {{- toYaml (uniq $names | sortAlpha) | nindent 14 }}
  ports:
    - port: 5432
      protocol: TCP
{{- else if $root.Values.networkPolicy.externalPostgres.cidrs -}}
# PostgreSQL (external).
- to:
    {{- range $root.Values.networkPolicy.externalPostgres.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range $root.Values.networkPolicy.externalPostgres.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
{{- end -}}

{{- define "nightjar.netpol.kubeApiEgress" -}}
# The Kubernetes API server.
- to:
    {{- range .Values.networkPolicy.kubeApiServer.cidrs }}
    - ipBlock:
        cidr: {{ . }}
    {{- end }}
  ports:
    {{- range .Values.networkPolicy.kubeApiServer.ports }}
    - port: {{ . }}
      protocol: TCP
    {{- end }}
{{- end -}}
