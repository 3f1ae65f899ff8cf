package main

// What each values file of tests/helm must render, object by object.

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

const (
	fullname  = "xee-x-engagement-exporter" // release "xee" + the chart's name
	configDir = "/etc/x-engagement-exporter"
	secretDir = "/var/run/secrets/x"
	stateDir  = "/var/lib/x-engagement-exporter"
	tlsDir    = "/var/run/secrets/x-tls"
)

type checker struct{ problems []string }

func (c *checker) fail(format string, args ...interface{}) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) equal(what string, got, want interface{}) {
	if !reflect.DeepEqual(got, want) {
		c.fail("%s: got %#v, want %#v", what, got, want)
	}
}

func (c *checker) contains(what, text, part string) {
	if !strings.Contains(text, part) {
		c.fail("%s: %q not found in:\n%s", what, part, text)
	}
}

func checkScenario(scenario string, objects []object, notes, chartDir, repo, namespace string) []string {
	c := &checker{}
	kinds := map[string]int{}
	for _, o := range objects {
		kinds[o.kind()]++
	}
	dashboardFiles, _ := filepath.Glob(filepath.Join(repo, "grafana/dashboards/*.json"))
	ruleFiles, _ := filepath.Glob(filepath.Join(repo, "rules/*.yml"))
	if len(dashboardFiles) == 0 || len(ruleFiles) == 0 {
		c.fail("--repo %q: no grafana/dashboards/*.json or rules/*.yml", repo)
	}
	switch scenario {
	case "defaults":
		c.equal("kinds", kinds, map[string]int{"ConfigMap": 1, "Secret": 1, "PersistentVolumeClaim": 1,
			"ServiceAccount": 1, "Service": 1, "Deployment": 1})
		checkDeployment(c, objects, "ghcr.io/x-engagement-exporter/x-engagement-exporter:0.1.0",
			[]string{"--log.level=info", "--log.format=json"}, "persistentVolumeClaim", fullname, "http")
		checkConfig(c, objects, "https://data-api.x.com", "https://api.x.com")
		if secret, err := only(objects, "Secret"); err == nil {
			c.equal("Secret data without values", len(dict(secret.doc, "data")), 0)
		}
		if claim, err := only(objects, "PersistentVolumeClaim"); err == nil {
			c.equal("PVC size", str(claim.doc, "spec", "resources", "requests", "storage"), "1Gi")
			c.equal("PVC storageClassName (cluster default)", lookup(claim.doc, "spec", "storageClassName"), nil)
		}
		c.contains("NOTES.txt", notes, "port-forward service/"+fullname+" 10877:10877")
		c.contains("NOTES.txt", notes, "WARNING: no credentials")
	case "all":
		c.equal("kinds", kinds, map[string]int{"ConfigMap": 1 + len(dashboardFiles), "Secret": 1,
			"PersistentVolumeClaim": 1, "ServiceAccount": 1, "Service": 1, "Deployment": 1,
			"ServiceMonitor": 1, "PrometheusRule": len(ruleFiles), "NetworkPolicy": 1})
		deployment := checkDeployment(c, objects, "registry.example.com/x-engagement-exporter:0.1.0-test",
			[]string{"--log.format=json", "--log.level=debug"}, "persistentVolumeClaim", fullname, "http")
		checkConventions(c, objects, deployment)
		c.equal("pod annotation from podAnnotations",
			str(deployment, "spec", "template", "metadata", "annotations", "example.com/team"), "growth")
		c.equal("checksum/secret", len(str(deployment, "spec", "template", "metadata", "annotations", "checksum/secret")), 64)
		c.equal("extraEnv", str(list(deployment, "spec", "template", "spec", "containers", "0", "env"), "0", "name"),
			"X_ACME_ACCESS_TOKEN_SECRET")
		config := checkConfig(c, objects, "https://data-api.x.com", "https://api.x.com")
		c.equal("Post list beside config.toml", str(config, "data", "acme.txt"),
			"# launch week\n1860000000000000001\n1860000000000000002\n")
		if secret, err := only(objects, "Secret"); err == nil {
			c.equal("Secret keys", sortedKeys(dict(secret.doc, "data")), []string{"acme_access_token",
				"acme_access_token_secret", "bearer_token", "consumer_key", "consumer_secret"})
		}
		if claim, err := only(objects, "PersistentVolumeClaim"); err == nil {
			c.equal("PVC size", str(claim.doc, "spec", "resources", "requests", "storage"), "2Gi")
			c.equal("PVC storageClassName", str(claim.doc, "spec", "storageClassName"), "fast-ssd")
		}
		checkServiceMonitor(c, objects, namespace)
		if monitor, err := only(objects, "ServiceMonitor"); err == nil {
			c.equal("ServiceMonitor basicAuth password",
				dict(monitor.doc, "spec", "endpoints", "0", "basicAuth", "password"),
				map[string]interface{}{"name": "x-scrape", "key": "password"})
		}
		for _, probe := range []string{"livenessProbe", "readinessProbe"} {
			c.equal(probe+" header merged over the default probe",
				str(deployment, "spec", "template", "spec", "containers", "0", probe, "httpGet", "httpHeaders", "0", "name"),
				"Authorization")
		}
		c.contains("NOTES.txt", notes, "add -u <user>:<password>")
		checkPrometheusRules(c, objects, ruleFiles)
		checkDashboards(c, objects, dashboardFiles)
		checkLinks(c, chartDir, repo)
		c.contains("NOTES.txt", notes, `ServiceMonitor `+fullname+` (job "x-engagement-exporter")`)
		if strings.Contains(notes, "WARNING") {
			c.fail("NOTES.txt warns although credentials are given:\n%s", notes)
		}
	case "existing-secret":
		c.equal("kinds", kinds, map[string]int{"ConfigMap": 1, "Service": 1, "Deployment": 1})
		deployment := checkDeployment(c, objects, "ghcr.io/x-engagement-exporter/x-engagement-exporter:0.1.0",
			[]string{"--log.level=info", "--log.format=json"}, "emptyDir", "x-credentials", "http")
		c.equal("serviceAccountName without one created",
			str(deployment, "spec", "template", "spec", "serviceAccountName"), "default")
		if _, ok := dict(deployment, "spec", "template", "metadata", "annotations")["checksum/secret"]; ok {
			c.fail("checksum/secret on a Secret the chart does not render")
		}
		c.contains("NOTES.txt", notes, "persistence is disabled")
	case "tls":
		deployment := checkDeployment(c, objects, "ghcr.io/x-engagement-exporter/x-engagement-exporter:0.1.0",
			[]string{"--log.level=info", "--log.format=json"}, "persistentVolumeClaim", fullname, "tcp")
		checkTLS(c, objects, deployment, "/var/run/secrets/x-tls-client-ca/ca.crt", map[string]interface{}{
			"ca":         map[string]interface{}{"secret": map[string]interface{}{"name": "x-exporter-tls", "key": "ca.crt"}},
			"cert":       map[string]interface{}{"secret": map[string]interface{}{"name": "prometheus-client-tls", "key": "tls.crt"}},
			"keySecret":  map[string]interface{}{"name": "prometheus-client-tls", "key": "tls.key"},
			"serverName": "xee-x-engagement-exporter.monitoring.svc"})
		toml := str(checkConfig(c, objects, "https://data-api.x.com", "https://api.x.com"), "data", "config.toml")
		c.equal("[web.tls] client_auth_type", tomlString(toml, "web.tls", "client_auth_type"), "RequireAndVerifyClientCert")
		c.equal("[web.tls] min_version", tomlString(toml, "web.tls", "min_version"), "TLS13")
		pod := dict(deployment, "spec", "template", "spec")
		c.equal("client CA volume", str(findNamed(list(pod, "volumes"), "tls-client-ca"), "secret", "secretName"), "x-scraper-ca")
		c.contains("NOTES.txt", notes, "curl -s https://localhost:10877/metrics")
		c.contains("NOTES.txt", notes, "and --cert/--key of a client certificate its CA signed")
	case "tls-server":
		deployment := checkDeployment(c, objects, "ghcr.io/x-engagement-exporter/x-engagement-exporter:0.1.0",
			[]string{"--log.level=info", "--log.format=json"}, "persistentVolumeClaim", fullname, "https")
		checkTLS(c, objects, deployment, "", map[string]interface{}{
			"ca":         map[string]interface{}{"secret": map[string]interface{}{"name": "x-exporter-tls", "key": "ca.crt"}},
			"serverName": fullname + ".monitoring-test.svc"})
	case "edge":
		checkEdge(c, objects, notes)
	case "empty-durations":
		monitor, err := only(objects, "ServiceMonitor")
		if err != nil {
			c.fail("%v", err)
			break
		}
		endpoint := dict(monitor.doc, "spec", "endpoints", "0")
		for _, key := range []string{"interval", "scrapeTimeout"} {
			if _, ok := endpoint[key]; ok {
				c.fail("ServiceMonitor endpoint %s: \"\" must leave it out, got %#v", key, endpoint[key])
			}
		}
	default:
		c.fail("unknown scenario %q", scenario)
	}
	return c.problems
}

// checkEdge asserts values-edge.yaml rendered with appVersion "0.1.0+build.5": a sanitized version
// label, every object in namespaceOverride, the job the alerts match despite nameOverride, no
// scrape timeout above the 15s interval, and the shipped alerts tuned.
func checkEdge(c *checker, objects []object, notes string) {
	const renamed = "xee-xee-renamed"
	for _, o := range objects {
		c.equal(o.String()+" version label", str(o.doc, "metadata", "labels", "app.kubernetes.io/version"), "0.1.0_build.5")
		namespace := map[string]string{"ServiceMonitor": "prometheus"}[o.kind()]
		if namespace == "" {
			namespace = "monitoring-edge"
		}
		c.equal(o.String()+" namespace", str(o.doc, "metadata", "namespace"), namespace)
	}
	if deployment, err := only(objects, "Deployment"); err == nil {
		c.equal("image with digest", str(deployment.doc, "spec", "template", "spec", "containers", "0", "image"),
			"ghcr.io/x-engagement-exporter/x-engagement-exporter:0.1.0-build.5@sha256:"+strings.Repeat("0123456789abcdef", 4))
	}
	if service, err := only(objects, "Service"); err == nil {
		c.equal("Service name", service.name(), renamed)
		c.equal("job label source", str(service.doc, "metadata", "labels", "app.kubernetes.io/part-of"), "x-engagement-exporter")
	}
	if monitor, err := only(objects, "ServiceMonitor"); err == nil {
		endpoint := dict(monitor.doc, "spec", "endpoints", "0")
		c.equal("interval", endpoint["interval"], "15s")
		if _, ok := endpoint["scrapeTimeout"]; ok {
			c.fail("scrapeTimeout must be left out with interval 15s, got %v", endpoint["scrapeTimeout"])
		}
		c.equal("ServiceMonitor looks in", list(monitor.doc, "spec", "namespaceSelector", "matchNames"),
			[]interface{}{"monitoring-edge"})
	}
	alerts := map[string]map[string]interface{}{}
	records := map[string]bool{}
	for _, rule := range byKind(objects, "PrometheusRule") {
		for _, group := range list(rule.doc, "spec", "groups") {
			for _, item := range list(group, "rules") {
				fields, _ := item.(map[string]interface{})
				if name := str(fields, "alert"); name != "" {
					alerts[name] = fields
				}
				records[str(fields, "record")] = true
			}
		}
	}
	if _, ok := alerts["XEngagementPostViral"]; ok {
		c.fail("XEngagementPostViral is in disabledAlerts but rendered")
	}
	down := alerts["XEngagementExporterDown"]
	c.equal("overridden for", down["for"], "10m")
	c.equal("overridden severity", str(down, "labels", "severity"), "warning")
	c.equal("additionalAlertLabels", str(alerts["XEngagementAuthFailures"], "labels", "team"), "growth")
	c.equal("extraGroups record", records["job:x_engagement_posts_tracked:sum"], true)
	c.contains("NOTES.txt", notes, `(job "x-engagement-exporter")`)
}

// checkConventions asserts what values-all.yaml sets beyond the exporter itself: labels on every
// object, the Deployment's annotations, extra volumes, env, init and sidecar containers, the
// ServiceMonitor's limits and the NetworkPolicy.
func checkConventions(c *checker, objects []object, deployment map[string]interface{}) {
	for _, o := range objects {
		c.equal(o.String()+" commonLabels", str(o.doc, "metadata", "labels", "example.com/cost-center"), "marketing")
		c.equal(o.String()+" version label", str(o.doc, "metadata", "labels", "app.kubernetes.io/version"), "0.1.0")
	}
	pod := dict(deployment, "spec", "template")
	for key, value := range map[string]string{"example.com/tier": "monitoring", "example.com/cost-center": "marketing",
		"app.kubernetes.io/version": "0.1.0", "helm.sh/chart": "x-engagement-exporter-0.2.0"} {
		c.equal("pod label "+key, str(pod, "metadata", "labels", key), value)
	}
	c.equal("deploymentAnnotations", str(deployment, "metadata", "annotations", "example.com/owner"), "growth-team")
	c.equal("revisionHistoryLimit", lookup(deployment, "spec", "revisionHistoryLimit"), 5)
	spec := dict(pod, "spec")
	c.equal("containers", len(list(spec, "containers")), 2)
	c.equal("sidecar", str(spec, "containers", "1", "name"), "log-shipper")
	c.equal("init container", str(spec, "initContainers", "0", "name"), "wait-for-proxy")
	c.equal("CA bundle volume", str(findNamed(list(spec, "volumes"), "corp-ca"), "configMap", "name"), "corp-ca-bundle")
	c.equal("CA bundle mount", findNamed(list(spec, "containers", "0", "volumeMounts"), "corp-ca")["mountPath"], "/etc/ssl/corp")
	c.equal("envFrom", str(spec, "containers", "0", "envFrom", "0", "configMapRef", "name"), "x-proxy-settings")
	if monitor, err := only(objects, "ServiceMonitor"); err == nil {
		c.equal("sampleLimit", lookup(monitor.doc, "spec", "sampleLimit"), 200000)
		c.equal("targetLabels", list(monitor.doc, "spec", "targetLabels"), []interface{}{"app.kubernetes.io/instance"})
		c.equal("interval", str(monitor.doc, "spec", "endpoints", "0", "interval"), "1m")
		if _, ok := dict(monitor.doc, "spec", "endpoints", "0")["scrapeTimeout"]; ok {
			c.fail("scrapeTimeout \"\" must be left out of the endpoint")
		}
	}
	if policy, err := only(objects, "NetworkPolicy"); err == nil {
		c.equal("NetworkPolicy policyTypes", list(policy.doc, "spec", "policyTypes"), []interface{}{"Ingress", "Egress"})
		c.equal("NetworkPolicy ingress from", str(policy.doc, "spec", "ingress", "0", "from", "0", "namespaceSelector",
			"matchLabels", "kubernetes.io/metadata.name"), "monitoring")
		c.equal("NetworkPolicy egress rules", len(list(policy.doc, "spec", "egress")), 3)
	}
}

// checkDeployment asserts the pod every values file must produce and returns the Deployment.
// probes is "http", "https" (web.tls) or "tcp" (web.tls requiring client certificates).
func checkDeployment(c *checker, objects []object, image string, logArgs []string, stateVolumeKind,
	secretName, probes string) map[string]interface{} {
	deploymentObject, err := only(objects, "Deployment")
	if err != nil {
		c.fail("%v", err)
		return nil
	}
	deployment := deploymentObject.doc
	c.equal("Deployment name", deploymentObject.name(), fullname)
	c.equal("replicas (one poller per App budget)", lookup(deployment, "spec", "replicas"), 1)
	c.equal("strategy", str(deployment, "spec", "strategy", "type"), "Recreate")
	pod := dict(deployment, "spec", "template")
	selector := dict(deployment, "spec", "selector", "matchLabels")
	c.equal("selector", selector, map[string]interface{}{
		"app.kubernetes.io/name": "x-engagement-exporter", "app.kubernetes.io/instance": "xee"})
	for key, value := range selector {
		c.equal("pod label "+key, str(pod, "metadata", "labels", key), value)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(str(pod, "metadata", "annotations", "checksum/config")) {
		c.fail("checksum/config annotation missing or not a sha256: %v", dict(pod, "metadata", "annotations"))
	}
	c.equal("pod automountServiceAccountToken", lookup(pod, "spec", "automountServiceAccountToken"), false)
	c.equal("pod runAsNonRoot", lookup(pod, "spec", "securityContext", "runAsNonRoot"), true)

	containers := list(pod, "spec", "containers")
	c.equal("first container", str(containers, "0", "name"), "exporter")
	container := lookup(containers, "0")
	c.equal("image", str(container, "image"), image)
	var args []string
	for _, arg := range list(container, "args") {
		args = append(args, fmt.Sprint(arg))
	}
	c.equal("args", args, append([]string{"--config.file=" + configDir + "/config.toml",
		"--web.listen-address=:10877"}, logArgs...))
	c.equal("container port", findNamed(list(container, "ports"), "http-metrics")["containerPort"], 10877)
	checkProbes(c, container, probes)
	c.equal("readOnlyRootFilesystem", lookup(container, "securityContext", "readOnlyRootFilesystem"), true)
	c.equal("allowPrivilegeEscalation", lookup(container, "securityContext", "allowPrivilegeEscalation"), false)

	mounts := list(container, "volumeMounts")
	volumes := list(pod, "spec", "volumes")
	for _, want := range []struct {
		volume, path string
		readOnly     bool
	}{{"config", configDir, true}, {"secrets", secretDir, true}, {"state", stateDir, false}} {
		mount := findNamed(mounts, want.volume)
		c.equal("mountPath of "+want.volume, mount["mountPath"], want.path)
		c.equal("readOnly of "+want.volume, mount["readOnly"] == true, want.readOnly)
	}
	c.equal("config volume", str(findNamed(volumes, "config"), "configMap", "name"), fullname)
	c.equal("secret volume", str(findNamed(volumes, "secrets"), "secret", "secretName"), secretName)
	state := findNamed(volumes, "state")
	if _, ok := state[stateVolumeKind]; !ok {
		c.fail("state volume: want %s, got %v", stateVolumeKind, state)
	} else if stateVolumeKind == "persistentVolumeClaim" {
		c.equal("state claim", str(state, "persistentVolumeClaim", "claimName"), fullname)
	}

	if service, err := only(objects, "Service"); err == nil {
		port := lookup(service.doc, "spec", "ports", "0")
		c.equal("Service name", service.name(), fullname)
		c.equal("Service port", lookup(port, "port"), 10877)
		c.equal("Service port name", str(port, "name"), "http-metrics")
		c.equal("Service targetPort", str(port, "targetPort"), "http-metrics")
		c.equal("Service selector", dict(service.doc, "spec", "selector"), selector)
		c.equal("Service publishNotReadyAddresses", lookup(service.doc, "spec", "publishNotReadyAddresses"), true)
	} else {
		c.fail("%v", err)
	}
	return deployment
}

func checkProbes(c *checker, container interface{}, probes string) {
	for _, probe := range []struct{ name, path string }{{"livenessProbe", "/-/healthy"}, {"readinessProbe", "/-/ready"}} {
		if probes == "tcp" {
			c.equal(probe.name+" tcpSocket port", str(container, probe.name, "tcpSocket", "port"), "http-metrics")
			c.equal(probe.name+" without httpGet", lookup(container, probe.name, "httpGet"), nil)
			continue
		}
		c.equal(probe.name+" path", str(container, probe.name, "httpGet", "path"), probe.path)
		c.equal(probe.name+" port", str(container, probe.name, "httpGet", "port"), "http-metrics")
		scheme := map[string]string{"http": "", "https": "HTTPS"}[probes]
		c.equal(probe.name+" scheme", str(container, probe.name, "httpGet", "scheme"), scheme)
	}
}

// checkTLS asserts what web.tls adds: [web.tls] in the config, the Secret volumes, and the
// ServiceMonitor's scheme and tlsConfig.
func checkTLS(c *checker, objects []object, deployment map[string]interface{}, clientCA string,
	tlsConfig map[string]interface{}) {
	config := checkConfig(c, objects, "https://data-api.x.com", "https://api.x.com")
	toml := str(config, "data", "config.toml")
	c.equal("[web.tls] cert_file", tomlString(toml, "web.tls", "cert_file"), tlsDir+"/tls.crt")
	c.equal("[web.tls] key_file", tomlString(toml, "web.tls", "key_file"), tlsDir+"/tls.key")
	c.equal("[web.tls] client_ca_file", tomlString(toml, "web.tls", "client_ca_file"), clientCA)
	pod := dict(deployment, "spec", "template", "spec")
	mounts := list(pod, "containers", "0", "volumeMounts")
	c.equal("tls mount", findNamed(mounts, "tls")["mountPath"], tlsDir)
	c.equal("tls mount readOnly", findNamed(mounts, "tls")["readOnly"], true)
	c.equal("tls volume", str(findNamed(list(pod, "volumes"), "tls"), "secret", "secretName"), "x-exporter-tls")
	checkServiceMonitor(c, objects, "monitoring-test")
	if monitor, err := only(objects, "ServiceMonitor"); err == nil {
		c.equal("ServiceMonitor scheme", str(monitor.doc, "spec", "endpoints", "0", "scheme"), "https")
		c.equal("ServiceMonitor tlsConfig", dict(monitor.doc, "spec", "endpoints", "0", "tlsConfig"), tlsConfig)
	}
}

// checkConfig asserts the exporter's config file: X's URLs and the state file on its volume.
func checkConfig(c *checker, objects []object, engagementURL, searchURL string) map[string]interface{} {
	var config map[string]interface{}
	for _, o := range byKind(objects, "ConfigMap") {
		if o.name() == fullname {
			config = o.doc
		}
	}
	toml := str(config, "data", "config.toml")
	if toml == "" {
		c.fail("ConfigMap %s has no config.toml", fullname)
		return config
	}
	c.equal("[api] engagement_url", tomlString(toml, "api", "engagement_url"), engagementURL)
	c.equal("[api] search_url", tomlString(toml, "api", "search_url"), searchURL)
	if state := tomlString(toml, "state", "file"); !strings.HasPrefix(state, stateDir+"/") {
		c.fail("[state] file %q is not on the state volume %s", state, stateDir)
	}
	return config
}

// tomlString finds key = "value" in [table]: enough for the flat keys checked here, while the
// exporter's own loader checks the whole file (config-check).
func tomlString(toml, table, key string) string {
	current := ""
	keyValue := regexp.MustCompile(`^` + regexp.QuoteMeta(key) + `\s*=\s*"([^"]*)"`)
	for _, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			current = strings.Trim(line, "[] ")
		} else if match := keyValue.FindStringSubmatch(line); match != nil && current == table {
			return match[1]
		}
	}
	return ""
}

func checkServiceMonitor(c *checker, objects []object, namespace string) {
	monitor, err := only(objects, "ServiceMonitor")
	if err != nil {
		c.fail("%v", err)
		return
	}
	c.equal("ServiceMonitor label release", str(monitor.doc, "metadata", "labels", "release"), "kube-prometheus-stack")
	c.equal("ServiceMonitor jobLabel", str(monitor.doc, "spec", "jobLabel"), "app.kubernetes.io/part-of")
	c.equal("ServiceMonitor namespaces", list(monitor.doc, "spec", "namespaceSelector", "matchNames"),
		[]interface{}{namespace})
	endpoint := lookup(monitor.doc, "spec", "endpoints", "0")
	c.equal("ServiceMonitor port", str(endpoint, "port"), "http-metrics")
	c.equal("ServiceMonitor path", str(endpoint, "path"), "/metrics")
	if service, err := only(objects, "Service"); err == nil {
		c.equal("ServiceMonitor selector", dict(monitor.doc, "spec", "selector", "matchLabels"),
			dict(service.doc, "spec", "selector"))
		// The job label comes from the Service's label the jobLabel names.
		c.equal("job the alerts expect", str(service.doc, "metadata", "labels", "app.kubernetes.io/part-of"),
			"x-engagement-exporter")
	}
}

// checkPrometheusRules asserts one PrometheusRule per file of rules/, holding its groups unchanged.
func checkPrometheusRules(c *checker, objects []object, ruleFiles []string) {
	rules := map[string]object{}
	for _, o := range byKind(objects, "PrometheusRule") {
		rules[o.name()] = o
	}
	for _, file := range ruleFiles {
		base := strings.TrimSuffix(filepath.Base(file), ".yml")
		name := fullname + "-" + strings.ReplaceAll(base, ".", "-")
		rule, ok := rules[name]
		if !ok {
			c.fail("no PrometheusRule %s for %s", name, file)
			continue
		}
		c.equal(name+" label release", str(rule.doc, "metadata", "labels", "release"), "kube-prometheus-stack")
		want, err := readYAML(file)
		if err != nil {
			c.fail("%v", err)
			continue
		}
		c.equal(name+" spec equals "+file, rule.doc["spec"], want)
	}
}

// checkDashboards asserts one sidecar ConfigMap per dashboard file, holding it byte for byte.
func checkDashboards(c *checker, objects []object, dashboardFiles []string) {
	for _, file := range dashboardFiles {
		base := filepath.Base(file)
		name := fullname + "-dashboard-" + strings.TrimSuffix(base, ".json")
		var found *object
		configMaps := byKind(objects, "ConfigMap")
		for i := range configMaps {
			if configMaps[i].name() == name {
				found = &configMaps[i]
			}
		}
		if found == nil {
			c.fail("no dashboard ConfigMap %s for %s", name, file)
			continue
		}
		c.equal(name+" sidecar label", str(found.doc, "metadata", "labels", "grafana_dashboard"), "1")
		c.equal(name+" namespace", str(found.doc, "metadata", "namespace"), "monitoring")
		c.equal(name+" folder annotation", str(found.doc, "metadata", "annotations", "grafana_folder"), "X Engagement")
		want, err := os.ReadFile(file)
		if err != nil {
			c.fail("%v", err)
			continue
		}
		if got := str(found.doc, "data", base); got != string(want) {
			c.fail("%s: data %s differs from %s (%d bytes, want %d)", name, base, file, len(got), len(want))
		}
	}
}

// checkLinks asserts the chart's files/ holds the project's own rules/ and dashboards: symlinks to
// them in the repository (so the chart never ships stale copies), identical copies in a package.
func checkLinks(c *checker, chartDir, repo string) {
	for link, target := range map[string]string{"files/rules": "rules", "files/dashboards": "grafana/dashboards"} {
		info, err := os.Lstat(filepath.Join(chartDir, link))
		if err != nil {
			c.fail("%s/%s: %v", chartDir, link, err)
			continue
		}
		if info.Mode()&os.ModeSymlink == 0 {
			checkCopy(c, filepath.Join(chartDir, link), filepath.Join(repo, target))
			continue
		}
		got, err := filepath.EvalSymlinks(filepath.Join(chartDir, link))
		want, wantErr := filepath.EvalSymlinks(filepath.Join(repo, target))
		if err != nil || wantErr != nil || got != want {
			c.fail("%s/%s resolves to %q (%v), want the project's %s %q (%v)", chartDir, link, got, err,
				target, want, wantErr)
		}
	}
}

// checkCopy asserts every rule or dashboard file of the project is in the packaged folder, unchanged.
func checkCopy(c *checker, copied, original string) {
	files, _ := filepath.Glob(filepath.Join(original, "*.*"))
	for _, file := range files {
		if filepath.Base(file) == "README.md" {
			continue // left out by .helmignore
		}
		want, _ := os.ReadFile(file)
		got, err := os.ReadFile(filepath.Join(copied, filepath.Base(file)))
		if err != nil || string(got) != string(want) {
			c.fail("%s: %s missing or different from %s (%v)", copied, filepath.Base(file), file, err)
		}
	}
}

func readYAML(file string) (interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var value interface{}
	if err := yaml.Unmarshal(data, &value); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return value, nil
}

func sortedKeys(fields map[string]interface{}) []string {
	keys := make([]string, 0, len(fields))
	for key := range fields {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
