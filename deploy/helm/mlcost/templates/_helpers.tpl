{{- define "mlcost.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "mlcost.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "mlcost.selector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "mlcost.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "mlcost.secretName" -}}
{{- .Values.github.existingSecret | default (printf "%s-github" (include "mlcost.fullname" .)) -}}
{{- end -}}

{{- define "mlcost.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- .Values.serviceAccount.name | default (include "mlcost.fullname" .) -}}
{{- else -}}
{{- .Values.serviceAccount.name | default "default" -}}
{{- end -}}
{{- end -}}

{{/* The environment both the webhook server and the workers read. */}}
{{- define "mlcost.env" -}}
- name: NODE_ENV
  value: production
- name: APP_ID
  value: {{ required "github.appId is required" .Values.github.appId | quote }}
- name: PRIVATE_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "mlcost.secretName" . }}
      key: private-key
- name: WEBHOOK_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ include "mlcost.secretName" . }}
      key: webhook-secret
- name: REDIS_URL
{{- if .Values.redis.enabled }}
  value: {{ printf "redis://%s-redis:6379" (include "mlcost.fullname" .) | quote }}
{{- else if .Values.redis.existingSecret }}
  valueFrom:
    secretKeyRef:
      name: {{ .Values.redis.existingSecret }}
      key: redis-url
{{- else }}
  valueFrom:
    secretKeyRef:
      name: {{ include "mlcost.fullname" . }}-redis-url
      key: redis-url
{{- end }}
- name: MLCOST_REDIS_PREFIX
  value: {{ .Values.redis.prefix | quote }}
- name: LOG_LEVEL
  value: {{ .Values.logLevel | quote }}
- name: LOG_FORMAT
  value: json
{{- with .Values.github.enterpriseHost }}
- name: GHE_HOST
  value: {{ . | quote }}
{{- end }}
- name: MLCOST_JOB_ATTEMPTS
  value: {{ .Values.worker.attempts | quote }}
- name: MLCOST_JOB_BACKOFF_MS
  value: {{ .Values.worker.backoffMs | quote }}
{{- end -}}

{{- define "mlcost.probes" -}}
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  failureThreshold: 2
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  initialDelaySeconds: 10
  periodSeconds: 10
  failureThreshold: 3
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 30
{{- end -}}
