// helm_chart renders deploy/helm/x-engagement-exporter like `helm template` and checks the result:
//
//	helm_chart render --chart DIR --out DIR [--values FILE]... [--scenario NAME --repo DIR]
//	    [--app-version V]
//	    renders every template into --out (one file per template), fails on any template error,
//	    parses every manifest and, with --scenario, asserts what that values file must produce
//	helm_chart config-check --manifests DIR --work DIR --exporter BIN --expect TEXT [--require-secrets]
//	    lays the Deployment's volumes out under --work and runs the exporter with the container's
//	    arguments and --config.check
//	helm_chart rules-check --manifests DIR --work DIR --promtool BIN --repo DIR
//	    runs promtool check rules on every PrometheusRule's groups and compares them to rules/
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: helm_chart render|config-check|rules-check [flags]")
		os.Exit(2)
	}
	var err error
	switch command, args := os.Args[1], os.Args[2:]; command {
	case "render":
		err = renderCommand(args)
	case "config-check":
		err = configCheckCommand(args)
	case "rules-check":
		err = rulesCheckCommand(args)
	default:
		err = fmt.Errorf("unknown command %q", command)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "helm_chart:", err)
		os.Exit(1)
	}
}

func renderCommand(args []string) error {
	flags := flag.NewFlagSet("render", flag.ExitOnError)
	chartDir := flags.String("chart", "", "the chart's folder")
	outDir := flags.String("out", "", "where the rendered templates are written (emptied first)")
	releaseName := flags.String("release", "xee", ".Release.Name")
	namespace := flags.String("namespace", "monitoring-test", ".Release.Namespace")
	scenario := flags.String("scenario", "", "defaults, all or existing-secret: what to assert")
	repo := flags.String("repo", "", "the project's root, for the files the chart links to")
	appVersion := flags.String("app-version", "", "overrides the chart's appVersion (helm package --app-version)")
	var valueFiles repeated
	flags.Var(&valueFiles, "values", "a values file over values.yaml (repeatable)")
	flags.Parse(args)
	if *chartDir == "" || *outDir == "" {
		return fmt.Errorf("render: --chart and --out are required")
	}

	rendered, err := renderChart(*chartDir, valueFiles, release{Name: *releaseName, Namespace: *namespace, AppVersion: *appVersion})
	if err != nil {
		return fmt.Errorf("rendering %s: %v", *chartDir, err)
	}
	if err := os.RemoveAll(*outDir); err != nil {
		return err
	}
	var objects []object
	var notes string
	for _, template := range rendered {
		if strings.TrimSpace(template.text) == "" {
			continue // a template switched off by its values renders nothing, as under Helm
		}
		target := filepath.Join(*outDir, filepath.FromSlash(template.name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, []byte(template.text), 0o644); err != nil {
			return err
		}
		if strings.HasSuffix(template.name, "NOTES.txt") {
			notes = template.text
			continue
		}
		parsed, err := parseManifests(template.name, template.text)
		if err != nil {
			return err
		}
		objects = append(objects, parsed...)
	}
	problems := validateObjects(objects)
	if *scenario != "" {
		problems = append(problems, checkScenario(*scenario, objects, notes, *chartDir, *repo, *namespace)...)
	}
	for _, o := range objects {
		fmt.Printf("rendered %s\n", o)
	}
	if len(problems) > 0 {
		return fmt.Errorf("%d problem(s) in %s:\n  %s", len(problems), *outDir, strings.Join(problems, "\n  "))
	}
	return nil
}
