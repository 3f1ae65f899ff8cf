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

{{/* The namespace of every object: namespaceOverride, else the release's. */}}
{{- define "xee.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "xee.selectorLabels" -}}
app.kubernetes.io/name: {{ include "xee.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
The version label, from the chart's appVersion (not image.tag, which may be a digest's tag or a
build name): SemVer's "+" and other characters a label value refuses become "_", at most 63.
*/}}
{{- define "xee.versionLabel" -}}
{{- regexReplaceAll "[^-A-Za-z0-9_.]" .Chart.AppVersion "_" | trunc 63 | trimAll "-_." }}
{{- end }}

{{/*
Every object's labels: commonLabels, then the chart's own (which win, since selectors and the
scrape job depend on them). part-of is the ServiceMonitor's default jobLabel: the job stays
"x-engagement-exporter" whatever nameOverride or the release is called, as the alerts expect.
*/}}
{{- define "xee.labels" -}}
{{- $labels := dict
  "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-")
  "app.kubernetes.io/name" (include "xee.name" .)
  "app.kubernetes.io/instance" .Release.Name
  "app.kubernetes.io/version" (include "xee.versionLabel" .)
  "app.kubernetes.io/part-of" "x-engagement-exporter"
  "app.kubernetes.io/managed-by" .Release.Service -}}
{{- if not (include "xee.versionLabel" .) }}{{ $_ := unset $labels "app.kubernetes.io/version" }}{{ end }}
{{- toYaml (merge $labels (.Values.commonLabels | default dict)) }}
{{- end }}

{{/* repository:tag, or repository:tag@digest when image.digest pins it. */}}
{{- define "xee.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion | toString -}}
{{- if not (regexMatch "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" $tag) -}}
{{- fail (printf "image tag %q is not a valid image tag (letters, digits, '_', '.', '-'); set image.tag (an appVersion with build metadata such as \"+build.5\" cannot be one)" $tag) -}}
{{- end -}}
{{- .Values.image.repository }}:{{ $tag }}{{ with .Values.image.digest }}@{{ . }}{{ end }}
{{- end }}

{{/* A Prometheus duration ("1m30s") in milliseconds, to compare scrapeTimeout with interval. */}}
{{- define "xee.durationMs" -}}
{{- $units := dict "ms" 1 "s" 1000 "m" 60000 "h" 3600000 "d" 86400000 "w" 604800000 "y" 31536000000 -}}
{{- $total := 0 -}}
{{- range regexFindAll "[0-9]+(ms|[smhdwy])" . -1 -}}
{{- $number := regexFind "^[0-9]+" . -}}
{{- $total = add $total (mul (int64 $number) (get $units (trimPrefix $number .))) -}}
{{- end -}}
{{- $total -}}
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

{{/* The Service label the ServiceMonitor takes the job from, and the job it gives. */}}
{{- define "xee.jobLabel" -}}
{{- .Values.serviceMonitor.jobLabel | default "app.kubernetes.io/part-of" }}
{{- end }}
{{- define "xee.jobName" -}}
{{- get (include "xee.labels" . | fromYaml) (include "xee.jobLabel" .) | default (include "xee.fullname" .) }}
{{- end }}
