package main

// Renders a chart the way `helm template` does, for the subset of Helm the chart uses: Go's
// text/template with sprig's functions, Helm's own include/tpl/toYaml/fromYaml/toJson/required,
// .Values (values.yaml coalesced with override files), .Release, .Chart, .Template and .Files
// (Get, Glob). No helm binary exists on Debian, and these are the libraries Helm renders with.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type chartFile struct {
	name string // slash-separated, relative to the chart's folder
	data []byte
}

// Files is .Files: every chart file outside templates/, as Helm exposes them.
type Files map[string][]byte

func (f Files) Get(name string) string { return string(f[name]) }

func (f Files) GetBytes(name string) []byte { return f[name] }

// Glob keeps the files matching a path.Match pattern; ranging over it yields path and content.
func (f Files) Glob(pattern string) Files {
	matched := Files{}
	for name, data := range f {
		if ok, _ := path.Match(pattern, name); ok {
			matched[name] = data
		}
	}
	return matched
}

// readChart walks the chart folder following symlinks, as Helm's loader does (files/rules and
// files/dashboards link to the project's folders).
func readChart(root string) ([]chartFile, error) {
	var files []chartFile
	var walk func(dir, rel string) error
	walk = func(dir, rel string) error {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, entry := range entries {
			full := filepath.Join(dir, entry.Name())
			name := path.Join(rel, entry.Name())
			info, err := os.Stat(full) // follows symlinks
			if err != nil {
				return fmt.Errorf("%s: %v", full, err)
			}
			if info.IsDir() {
				if err := walk(full, name); err != nil {
					return err
				}
				continue
			}
			data, err := os.ReadFile(full)
			if err != nil {
				return err
			}
			files = append(files, chartFile{name: name, data: data})
		}
		return nil
	}
	return files, walk(root, "")
}

// helmNumbers makes numbers float64, as Helm's values are (it reads YAML through JSON), so a
// template that only works with ints fails here as it would under Helm.
func helmNumbers(value interface{}) (map[string]interface{}, error) {
	encoded, err := json.Marshal(value)
	if err != nil {
		return nil, err
	}
	result := map[string]interface{}{}
	if err := json.Unmarshal(encoded, &result); err != nil {
		return nil, err
	}
	return result, nil
}

func parseValues(name string, data []byte) (map[string]interface{}, error) {
	var raw map[string]interface{}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	values, err := helmNumbers(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	return values, nil
}

// coalesce merges override into base as Helm does: maps merge key by key, anything else is
// replaced, and null deletes the key.
func coalesce(base, override map[string]interface{}) map[string]interface{} {
	for key, value := range override {
		if value == nil {
			delete(base, key)
			continue
		}
		overrideMap, overrideIsMap := value.(map[string]interface{})
		baseMap, baseIsMap := base[key].(map[string]interface{})
		if overrideIsMap && baseIsMap {
			base[key] = coalesce(baseMap, overrideMap)
		} else {
			base[key] = value
		}
	}
	return base
}

func toYAML(value interface{}) string {
	var buffer bytes.Buffer
	encoder := yaml.NewEncoder(&buffer)
	encoder.SetIndent(2)
	if err := encoder.Encode(value); err != nil {
		return "" // Helm's toYaml also renders a value it cannot encode as ""
	}
	return strings.TrimSuffix(buffer.String(), "\n")
}

type release struct {
	Name, Namespace string
	AppVersion      string // overrides Chart.yaml's appVersion, as helm package --app-version does
}

type renderedTemplate struct {
	name string // chart-relative, e.g. templates/deployment.yaml
	text string
}

func renderChart(chartDir string, valueFiles []string, rel release) ([]renderedTemplate, error) {
	files, err := readChart(chartDir)
	if err != nil {
		return nil, err
	}
	var chartYAML, defaultValues []byte
	var templates []chartFile
	dotFiles := Files{}
	for _, file := range files {
		switch {
		case file.name == "Chart.yaml":
			chartYAML = file.data
		case file.name == "values.yaml":
			defaultValues = file.data
		case strings.HasPrefix(file.name, "templates/"):
			templates = append(templates, file)
		default:
			dotFiles[file.name] = file.data
		}
	}
	if chartYAML == nil {
		return nil, fmt.Errorf("%s: no Chart.yaml", chartDir)
	}
	var metadata struct {
		APIVersion string `yaml:"apiVersion"`
		Name       string `yaml:"name"`
		Version    string `yaml:"version"`
		AppVersion string `yaml:"appVersion"`
	}
	if err := yaml.Unmarshal(chartYAML, &metadata); err != nil {
		return nil, fmt.Errorf("%s/Chart.yaml: %v", chartDir, err)
	}
	if metadata.APIVersion != "v2" || metadata.Name == "" || metadata.Version == "" {
		return nil, fmt.Errorf("%s/Chart.yaml: apiVersion v2, name and version are required", chartDir)
	}
	if rel.AppVersion != "" {
		metadata.AppVersion = rel.AppVersion
	}
	values, err := parseValues("values.yaml", defaultValues)
	if err != nil {
		return nil, err
	}
	for _, valueFile := range valueFiles {
		data, err := os.ReadFile(valueFile)
		if err != nil {
			return nil, err
		}
		override, err := parseValues(valueFile, data)
		if err != nil {
			return nil, err
		}
		values = coalesce(values, override)
	}

	root := template.New("root")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env") // Helm removes these: a chart must not depend on the renderer's host
	delete(funcs, "expandenv")
	includeDepth := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		if includeDepth[name] > 1000 {
			return "", fmt.Errorf("include %q: recursion too deep", name)
		}
		includeDepth[name]++
		defer func() { includeDepth[name]-- }()
		var out strings.Builder
		err := root.ExecuteTemplate(&out, name, data)
		return out.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		parsed, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var out strings.Builder
		err = parsed.Execute(&out, data)
		return strings.ReplaceAll(out.String(), "<no value>", ""), err
	}
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = func(text string) map[string]interface{} {
		var result map[string]interface{}
		if err := yaml.Unmarshal([]byte(text), &result); err != nil {
			return map[string]interface{}{"Error": err.Error()}
		}
		return result
	}
	funcs["toJson"] = func(value interface{}) string {
		encoded, _ := json.Marshal(value)
		return string(encoded)
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, fmt.Errorf("%s", message)
		}
		if text, ok := value.(string); ok && text == "" {
			return nil, fmt.Errorf("%s", message)
		}
		return value, nil
	}
	root.Funcs(funcs).Option("missingkey=zero")

	sort.Slice(templates, func(i, j int) bool { return templates[i].name < templates[j].name })
	for _, file := range templates {
		qualified := metadata.Name + "/" + file.name
		if _, err := root.New(qualified).Parse(string(file.data)); err != nil {
			return nil, err
		}
	}

	var rendered []renderedTemplate
	for _, file := range templates {
		if strings.HasPrefix(path.Base(file.name), "_") {
			continue // partials only define named templates
		}
		qualified := metadata.Name + "/" + file.name
		data := map[string]interface{}{
			"Values": values,
			"Release": map[string]interface{}{
				"Name": rel.Name, "Namespace": rel.Namespace, "Service": "Helm",
				"IsInstall": true, "IsUpgrade": false, "Revision": 1,
			},
			"Chart": map[string]interface{}{
				"Name": metadata.Name, "Version": metadata.Version, "AppVersion": metadata.AppVersion,
			},
			"Template": map[string]interface{}{
				"Name": qualified, "BasePath": metadata.Name + "/templates",
			},
			"Files": dotFiles,
		}
		var out strings.Builder
		if err := root.ExecuteTemplate(&out, qualified, data); err != nil {
			return nil, err
		}
		text := strings.ReplaceAll(out.String(), "<no value>", "")
		rendered = append(rendered, renderedTemplate{name: file.name, text: text})
	}
	return rendered, nil
}
