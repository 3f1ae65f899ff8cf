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

{{- define "xee.tlsDir" -}}/var/run/secrets/x-tls{{- end }}
{{- define "xee.tlsClientCaDir" -}}/var/run/secrets/x-tls-client-ca{{- end }}

{{/* Whether web.tls makes the listener refuse a client without a certificate. */}}
{{- define "xee.tlsRequiresClientCert" -}}
{{- if and .Values.web.tls.enabled (has .Values.web.tls.clientAuthType (list "RequireAnyClientCert" "RequireAndVerifyClientCert")) }}true{{ end }}
{{- end }}

{{/* [web.tls] for config.toml, from the web.tls values. */}}
{{- define "xee.tlsConfig" -}}
{{- $tls := .Values.web.tls -}}
{{- if not $tls.secretName }}
{{- fail "web.tls.secretName: name the Secret with tls.crt and tls.key (web.tls.enabled is true)" }}
{{- end }}
# Added by the chart from web.tls: Secret {{ $tls.secretName }}.
[web.tls]
cert_file = "{{ include "xee.tlsDir" . }}/tls.crt"
key_file = "{{ include "xee.tlsDir" . }}/tls.key"
client_auth_type = "{{ $tls.clientAuthType }}"
{{- if has $tls.clientAuthType (list "VerifyClientCertIfGiven" "RequireAndVerifyClientCert") }}
client_ca_file = "{{ if $tls.clientCASecretName }}{{ include "xee.tlsClientCaDir" . }}{{ else }}{{ include "xee.tlsDir" . }}{{ end }}/ca.crt"
{{- end }}
min_version = "{{ $tls.minVersion }}"
{{- end }}

{{/*
A probe from the values, switched to the listener's scheme: HTTPS with web.tls, and a TCP check
of the port when the listener requires client certificates (the kubelet cannot present one).
*/}}
{{- define "xee.probe" -}}
{{- $probe := deepCopy .probe -}}
{{- if and .root.Values.web.tls.enabled $probe.httpGet -}}
{{- if include "xee.tlsRequiresClientCert" .root -}}
{{- $port := $probe.httpGet.port -}}
{{- $_ := unset $probe "httpGet" -}}
{{- $_ := set $probe "tcpSocket" (dict "port" $port) -}}
{{- else -}}
{{- $_ := set $probe.httpGet "scheme" "HTTPS" -}}
{{- end -}}
{{- end -}}
{{- toYaml $probe -}}
{{- end }}
