{{/* Chart name. */}}
{{- define "alpha.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Release-qualified name: prefix of every object. */}}
{{- define "alpha.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of one process's objects: (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.componentName" -}}
{{- printf "%s-%s" (include "alpha.fullname" .root) .name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object. */}}
{{- define "alpha.labels" -}}
{{ include "alpha.commonLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* alpha.labels without the instance (which the selector labels carry). */}}
{{- define "alpha.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/part-of: {{ include "alpha.name" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels of one process's objects and pods, each key once: (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.componentLabels" -}}
{{ include "alpha.commonLabels" .root }}
{{ include "alpha.selectorLabels" . }}
app.kubernetes.io/component: {{ .name }}
{{- end }}

{{/* Selector of one process's pods: (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.selectorLabels" -}}
app.kubernetes.io/name: {{ .name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
{{- end }}

{{/* gRPC address of a service for its callers: (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.grpcAddress" -}}
{{- $svc := index .root.Values.services .name }}
{{- printf "%s:%v" (include "alpha.componentName" .) $svc.grpcPort }}
{{- end }}

{{/* The image of every process. */}}
{{- define "alpha.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/* Headless Service of a gRPC service (one DNS record per ready pod): (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.headlessName" -}}
{{- printf "%s-headless" (include "alpha.componentName" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* What a caller puts in *_SERVICE_URL for a service (config.grpcClientTarget):
     dns      -> dns:///<headless Service>:<port> (client-side round-robin over the pods)
     hostPort -> <ClusterIP Service>:<port> */}}
{{- define "alpha.grpcTarget" -}}
{{- $svc := index .root.Values.services .name }}
{{- $mode := .root.Values.config.grpcClientTarget }}
{{- if eq $mode "dns" }}
{{- printf "dns:///%s:%v" (include "alpha.headlessName" .) $svc.grpcPort }}
{{- else if eq $mode "hostPort" }}
{{- printf "%s:%v" (include "alpha.componentName" .) $svc.grpcPort }}
{{- else }}
{{- fail (printf "config.grpcClientTarget must be dns or hostPort, not %q" $mode) }}
{{- end }}
{{- end }}

{{/* Lowest and highest replica count of a process: (dict "root" $ "name" "user-service"). */}}
{{- define "alpha.minReplicas" -}}
{{- $svc := index .root.Values.services .name }}
{{- if .root.Values.autoscaling.enabled }}{{ $svc.autoscaling.minReplicas | int }}{{ else }}{{ $svc.replicas | int }}{{ end }}
{{- end }}
{{- define "alpha.maxReplicas" -}}
{{- $svc := index .root.Values.services .name }}
{{- if .root.Values.autoscaling.enabled }}{{ $svc.autoscaling.maxReplicas | int }}{{ else }}{{ $svc.replicas | int }}{{ end }}
{{- end }}

{{/* POSTGRES_POOL_SIZE of a process: its own poolSize, else config.postgres.poolSize. */}}
{{- define "alpha.poolSize" -}}
{{- $svc := index .root.Values.services .name }}
{{- default .root.Values.config.postgres.poolSize $svc.poolSize | int }}
{{- end }}

{{/* Values that cannot work together stop the rendering with a message. */}}
{{- define "alpha.validate" -}}
{{- $v := .Values }}
{{- if not (has $v.config.environment (list "production" "development")) }}
{{- fail (printf "config.environment must be production or development, not %q" $v.config.environment) }}
{{- end }}
{{- $transport := $v.config.notification.mailTransport }}
{{- if not (has $transport (list "mailgun" "log")) }}
{{- fail (printf "config.notification.mailTransport must be mailgun or log, not %q" $transport) }}
{{- end }}
{{- if and (eq $transport "mailgun") (not $v.secrets.mailgun.name) }}
{{- fail "config.notification.mailTransport=mailgun needs secrets.mailgun.name (the Secret holding the Mailgun API key); set mailTransport=log only for clusters that must not send mail" }}
{{- end }}
{{- $drain := add (int $v.preStopSleepSeconds) (int $v.config.shutdownGraceSeconds) }}
{{- if le (int $v.terminationGracePeriodSeconds) $drain }}
{{- fail (printf "terminationGracePeriodSeconds (%d) must exceed preStopSleepSeconds + config.shutdownGraceSeconds (%d)" (int $v.terminationGracePeriodSeconds) $drain) }}
{{- end }}
{{- if $v.connectionBudget.maxConnections }}
{{- $total := 0 }}
{{- range $name, $svc := $v.services }}
{{- if and $svc.enabled $svc.schema }}
{{- $ctx := dict "root" $ "name" $name }}
{{- $total = add $total (mul (include "alpha.maxReplicas" $ctx | int) (include "alpha.poolSize" $ctx | int)) }}
{{- end }}
{{- end }}
{{- $budget := sub (int $v.connectionBudget.maxConnections) (int $v.connectionBudget.reserved) }}
{{- if gt (int $total) (int $budget) }}
{{- fail (printf "connection budget exceeded: the services may open %d PostgreSQL connections (max replicas x pool size), but connectionBudget allows %d (maxConnections - reserved); lower poolSize or maxReplicas, raise max_connections, or put PgBouncer in front (docs/deployment.md)" (int $total) (int $budget)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* Pod template annotations that roll the pods when their configuration or Secrets change. */}}
{{- define "alpha.checksums" -}}
checksum/config: {{ include (print .Template.BasePath "/configmap.yaml") . | sha256sum }}
checksum/secrets: {{ list (include (print .Template.BasePath "/secret.yaml") .) .Values.secrets.rolloutToken (toJson .Values.grpcTLS) | toJson | sha256sum }}
{{- end }}
