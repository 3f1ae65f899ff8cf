package main

// Runs the real tools on what the chart renders: the exporter's own config loader on the pod's
// files and arguments, and promtool on the PrometheusRules.

import (
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// podFiles maps the container's mount paths onto folders under a work directory.
type podFiles map[string]string // mount path -> local folder

// local rewrites every mount path in text (longest first, so nested mounts resolve).
func (mounts podFiles) local(text string) string {
	paths := make([]string, 0, len(mounts))
	for mountPath := range mounts {
		paths = append(paths, mountPath)
	}
	sort.Slice(paths, func(i, j int) bool { return len(paths[i]) > len(paths[j]) })
	for _, mountPath := range paths {
		text = strings.ReplaceAll(text, mountPath+"/", mounts[mountPath]+"/")
	}
	return text
}

func renderedObject(objects []object, kind, name string) map[string]interface{} {
	for _, o := range objects {
		if o.kind() == kind && o.name() == name {
			return o.doc
		}
	}
	return nil
}

func secretValues(objects []object, name string) (map[string]string, error) {
	values := map[string]string{}
	for key, value := range dict(renderedObject(objects, "Secret", name), "data") {
		decoded, err := base64.StdEncoding.DecodeString(fmt.Sprint(value))
		if err != nil {
			return nil, fmt.Errorf("Secret %s key %s: %v", name, key, err)
		}
		values[key] = string(decoded)
	}
	return values, nil
}

// configCheckCommand lays out the pod's volumes as the kubelet would (ConfigMap keys and Secret
// keys as files, the state volume empty) and runs the exporter with the container's own
// arguments and environment plus --config.check: the chart's config is proven by the real loader.
func configCheckCommand(args []string) error {
	flags := flag.NewFlagSet("config-check", flag.ExitOnError)
	manifests := flags.String("manifests", "", "the folder render wrote")
	work := flags.String("work", "", "a scratch folder for the pod's files (emptied first)")
	exporter := flags.String("exporter", "", "the x_engagement_exporter binary")
	expect := flags.String("expect", "configuration is valid", "text the exporter must print")
	tlsFiles := flags.String("tls-files", "",
		"a folder with tls.crt, tls.key and ca.crt, the contents of the Secrets web.tls mounts "+
			"(which the chart names but does not render)")
	requireSecrets := flags.Bool("require-secrets", false,
		"every secret file the config reads must be a key of the rendered Secret; without it a "+
			"missing key gets a placeholder (the defaults carry no credentials)")
	flags.Parse(args)
	objects, err := readManifests(*manifests)
	if err != nil {
		return err
	}
	deployment, err := only(objects, "Deployment")
	if err != nil {
		return err
	}
	if err := os.RemoveAll(*work); err != nil {
		return err
	}
	pod := dict(deployment.doc, "spec", "template", "spec")
	container := lookup(pod, "containers", "0")

	mounts := podFiles{}
	for _, item := range list(container, "volumeMounts") {
		local, err := filepath.Abs(filepath.Join(*work, str(item, "name")))
		if err != nil {
			return err
		}
		if err := os.MkdirAll(local, 0o755); err != nil {
			return err
		}
		mounts[str(item, "mountPath")] = local
	}

	secretMount, secretName := "", ""
	for _, item := range list(container, "volumeMounts") {
		volume := findNamed(list(pod, "volumes"), str(item, "name"))
		local := mounts[str(item, "mountPath")]
		if name := str(volume, "configMap", "name"); name != "" {
			configMap := renderedObject(objects, "ConfigMap", name)
			if configMap == nil && str(item, "name") == "config" {
				return fmt.Errorf("volume %s: ConfigMap %s is not rendered", str(item, "name"), name)
			} else if configMap == nil {
				continue // the user's own ConfigMap (extraVolumes): an empty folder here
			}
			for key, value := range dict(configMap, "data") {
				if err := os.WriteFile(filepath.Join(local, key), []byte(mounts.local(fmt.Sprint(value))), 0o644); err != nil {
					return err
				}
			}
		}
		if name := str(volume, "secret", "secretName"); name != "" && str(item, "name") == "secrets" {
			secretMount, secretName = str(item, "mountPath"), name
		} else if name != "" {
			if err := copyTLSFiles(*tlsFiles, local); err != nil {
				return fmt.Errorf("volume %s (Secret %s): %v", str(item, "name"), name, err)
			}
		}
	}

	secrets, err := secretValues(objects, secretName)
	if err != nil {
		return err
	}
	if renderedObject(objects, "Secret", secretName) == nil && *requireSecrets {
		return fmt.Errorf("the pod mounts Secret %q, which the chart does not render", secretName)
	}
	config, err := os.ReadFile(mounts.local(str(container, "args", "0")[len("--config.file="):]))
	if err != nil {
		return fmt.Errorf("the container's first argument names the config file: %v", err)
	}
	// Both the secret files the config reads and the Secret keys extraEnv reads must exist.
	referenced := map[string]bool{}
	reference := regexp.MustCompile(`file\s*=\s*"` + regexp.QuoteMeta(mounts[secretMount]) + `/([^"]+)"`)
	for _, match := range reference.FindAllStringSubmatch(string(config), -1) {
		referenced[match[1]] = true
	}
	env := os.Environ()
	for _, variable := range list(container, "env") {
		value := str(variable, "value")
		if ref := dict(variable, "valueFrom", "secretKeyRef"); ref != nil {
			if ref["name"] != secretName {
				return fmt.Errorf("env %s reads Secret %v, not the pod's %s", str(variable, "name"), ref["name"], secretName)
			}
			key := fmt.Sprint(ref["key"])
			referenced[key] = true
			value = secrets[key]
			if value == "" {
				value = "placeholder-" + key
			}
		}
		env = append(env, str(variable, "name")+"="+value)
	}
	for key := range referenced {
		value, ok := secrets[key]
		if !ok {
			if *requireSecrets {
				return fmt.Errorf("the config or env reads secret %s, which Secret %s lacks", key, secretName)
			}
			value = "placeholder-" + key
		}
		if err := os.WriteFile(filepath.Join(mounts[secretMount], key), []byte(value), 0o600); err != nil {
			return err
		}
	}

	var exporterArgs []string
	for _, arg := range list(container, "args") {
		exporterArgs = append(exporterArgs, mounts.local(fmt.Sprint(arg)))
	}
	exporterArgs = append(exporterArgs, "--config.check")
	command := exec.Command(*exporter, exporterArgs...)
	command.Env = env
	output, err := command.CombinedOutput()
	fmt.Printf("%s %s\n%s", *exporter, strings.Join(exporterArgs, " "), output)
	if err != nil {
		return fmt.Errorf("the exporter refuses the rendered config: %v", err)
	}
	if !strings.Contains(string(output), *expect) {
		return fmt.Errorf("the exporter's output lacks %q", *expect)
	}
	return nil
}

// copyTLSFiles fills a web.tls Secret's folder as the kubelet would mount it.
func copyTLSFiles(from, to string) error {
	if from == "" {
		return fmt.Errorf("the pod mounts a TLS Secret: give its files with --tls-files")
	}
	for _, name := range []string{"tls.crt", "tls.key", "ca.crt"} {
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(to, name), data, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// rulesCheckCommand writes each PrometheusRule's spec as a Prometheus rule file and lints them all
// with promtool, as Prometheus will load them once the operator copies them.
func rulesCheckCommand(args []string) error {
	flags := flag.NewFlagSet("rules-check", flag.ExitOnError)
	manifests := flags.String("manifests", "", "the folder render wrote")
	work := flags.String("work", "", "a scratch folder for the rule files (emptied first)")
	promtool := flags.String("promtool", "promtool", "the promtool binary")
	flags.Parse(args)
	objects, err := readManifests(*manifests)
	if err != nil {
		return err
	}
	rules := byKind(objects, "PrometheusRule")
	if len(rules) == 0 {
		return fmt.Errorf("%s: no PrometheusRule rendered", *manifests)
	}
	if err := os.RemoveAll(*work); err != nil {
		return err
	}
	if err := os.MkdirAll(*work, 0o755); err != nil {
		return err
	}
	promtoolArgs := []string{"check", "rules"}
	for _, rule := range rules {
		groups := list(rule.doc, "spec", "groups")
		if len(groups) == 0 {
			return fmt.Errorf("%s: no spec.groups", rule)
		}
		data, err := yaml.Marshal(map[string]interface{}{"groups": groups})
		if err != nil {
			return err
		}
		file := filepath.Join(*work, rule.name()+".yml")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return err
		}
		promtoolArgs = append(promtoolArgs, file)
	}
	output, err := exec.Command(*promtool, promtoolArgs...).CombinedOutput()
	fmt.Printf("%s %s\n%s", *promtool, strings.Join(promtoolArgs, " "), output)
	if err != nil {
		return fmt.Errorf("promtool refuses the rendered rules: %v", err)
	}
	return nil
}
