{{/* The chart's name, shortened to the 63 characters of a label value. */}}
{{- define "xee.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name of the release's objects. A release already named after the chart is not repeated
("x-engagement-exporter", not "x-engagement-exporter-x-engagement-exporter").
*/}}
{{- define "xee.fullname" -}}
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

{{- define "xee.selectorLabels" -}}
app.kubernetes.io/name: {{ include "xee.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "xee.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "xee.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "xee.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "xee.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "xee.secretName" -}}
{{- default (include "xee.fullname" .) .Values.existingSecret }}
{{- end }}

{{/* Where the pod sees its files; the default config names these paths. */}}
{{- define "xee.configDir" -}}/etc/x-engagement-exporter{{- end }}
{{- define "xee.secretDir" -}}/var/run/secrets/x{{- end }}
{{- define "xee.stateDir" -}}/var/lib/x-engagement-exporter{{- end }}
