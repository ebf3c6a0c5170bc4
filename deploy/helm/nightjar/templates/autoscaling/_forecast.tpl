{{/*
Predictive autoscaling (autoscaling.predictive, docs/autoscaling.md): the forecaster's names, and the External metric
an HPA gains next to CPU. The metric name and labels here are the ones the forecaster exports and the
prometheus-adapter rule (adapter-rules.yaml) serves.
*/}}

{{- define "nightjar.forecast.metricName" -}}
nightjar_forecast_requests_per_second
{{- end -}}

{{- define "nightjar.forecast.name" -}}
forecaster
{{- end -}}

{{- define "nightjar.forecast.port" -}}
9208
{{- end -}}

{{/* The per-pod target of a workload (services.<key>: gateway-service -> gateway), or empty. Call with the workload context. */}}
{{- define "nightjar.forecast.target" -}}
{{- $p := .root.Values.autoscaling.predictive -}}
{{- if $p.enabled -}}
{{- $key := trimSuffix "-service" .w.name -}}
{{- with index $p.targetRequestsPerSecondPerPod $key -}}{{ . }}{{- end -}}
{{- end -}}
{{- end -}}

{{/*
The External metric of an HPA (a list item, for spec.metrics), when predictive autoscaling is on and the workload has
a target: replicas = forecast / target requests/s per pod. The HPA takes the higher of this and CPU's count.
*/}}
{{- define "nightjar.forecast.hpaMetric" -}}
{{- $target := include "nightjar.forecast.target" . -}}
{{- if $target -}}
- type: External
  external:
    metric:
      name: {{ include "nightjar.forecast.metricName" . }}
      selector:
        matchLabels:
          service: {{ .w.name | quote }}
          horizon: {{ .root.Values.autoscaling.predictive.horizon | quote }}
    target:
      type: AverageValue
      averageValue: {{ $target | toString | quote }}
{{- end -}}
{{- end -}}

{{- define "nightjar.forecast.labels" -}}
{{ include "nightjar.labels" (dict "root" .root "name" (include "nightjar.forecast.name" .) "component" "autoscaling") }}
{{- end -}}

{{- define "nightjar.forecast.selector" -}}
{{ include "nightjar.selectorLabels" (dict "root" .root "name" (include "nightjar.forecast.name" .)) }}
{{- end -}}
