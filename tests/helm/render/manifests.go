package main

// Reads rendered manifests back as Kubernetes objects and checks what every object needs.

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

type object struct {
	source string // the template file it came from
	doc    map[string]interface{}
}

func (o object) kind() string { return str(o.doc, "kind") }
func (o object) name() string { return str(o.doc, "metadata", "name") }
func (o object) String() string {
	return fmt.Sprintf("%s %s (%s)", o.kind(), o.name(), o.source)
}

// lookup walks maps by key and lists by decimal index; nil when any step is missing.
func lookup(value interface{}, keys ...string) interface{} {
	for _, key := range keys {
		switch typed := value.(type) {
		case map[string]interface{}:
			value = typed[key]
		case []interface{}:
			var index int
			if _, err := fmt.Sscanf(key, "%d", &index); err != nil || index < 0 || index >= len(typed) {
				return nil
			}
			value = typed[index]
		default:
			return nil
		}
	}
	return value
}

func str(value interface{}, keys ...string) string {
	text, _ := lookup(value, keys...).(string)
	return text
}

func list(value interface{}, keys ...string) []interface{} {
	items, _ := lookup(value, keys...).([]interface{})
	return items
}

func dict(value interface{}, keys ...string) map[string]interface{} {
	fields, _ := lookup(value, keys...).(map[string]interface{})
	return fields
}

// findNamed returns the element of a list whose "name" is name.
func findNamed(items []interface{}, name string) map[string]interface{} {
	for _, item := range items {
		if fields, ok := item.(map[string]interface{}); ok && fields["name"] == name {
			return fields
		}
	}
	return nil
}

var (
	dnsSubdomain = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$`)
	labelValue   = regexp.MustCompile(`^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$`)
)

func parseManifests(source, text string) ([]object, error) {
	var objects []object
	decoder := yaml.NewDecoder(strings.NewReader(text))
	for {
		var doc map[string]interface{}
		err := decoder.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return objects, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: not YAML: %v", source, err)
		}
		if doc == nil {
			continue // an empty document between "---" separators
		}
		objects = append(objects, object{source: source, doc: doc})
	}
}

// validateObjects checks what the API server would refuse in any object: missing identity,
// malformed names and label values, and two objects of the same kind and name.
func validateObjects(objects []object) []string {
	var problems []string
	seen := map[string]string{}
	for _, o := range objects {
		if str(o.doc, "apiVersion") == "" || o.kind() == "" || o.name() == "" {
			problems = append(problems, fmt.Sprintf("%s: apiVersion, kind and metadata.name are required", o))
			continue
		}
		if len(o.name()) > 253 || !dnsSubdomain.MatchString(o.name()) {
			problems = append(problems, fmt.Sprintf("%s: name is not a DNS subdomain", o))
		}
		if o.kind() == "Service" && len(o.name()) > 63 {
			problems = append(problems, fmt.Sprintf("%s: a Service name has at most 63 characters", o))
		}
		for key, value := range dict(o.doc, "metadata", "labels") {
			text, ok := value.(string)
			if !ok || len(text) > 63 || !labelValue.MatchString(text) {
				problems = append(problems, fmt.Sprintf("%s: label %s=%v is not a valid label value", o, key, value))
			}
		}
		identity := o.kind() + "/" + str(o.doc, "metadata", "namespace") + "/" + o.name()
		if previous, ok := seen[identity]; ok {
			problems = append(problems, fmt.Sprintf("%s: also rendered by %s", o, previous))
		}
		seen[identity] = o.source
	}
	return problems
}

// readManifests loads every rendered manifest under dir (NOTES.txt aside).
func readManifests(dir string) ([]object, error) {
	var objects []object
	err := filepath.WalkDir(dir, func(file string, entry os.DirEntry, err error) error {
		if err != nil || entry.IsDir() || !strings.HasSuffix(file, ".yaml") {
			return err
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		parsed, err := parseManifests(file, string(data))
		objects = append(objects, parsed...)
		return err
	})
	sort.SliceStable(objects, func(i, j int) bool { return objects[i].source < objects[j].source })
	return objects, err
}

func byKind(objects []object, kind string) []object {
	var matched []object
	for _, o := range objects {
		if o.kind() == kind {
			matched = append(matched, o)
		}
	}
	return matched
}

// only returns the single object of a kind, or reports how many there were.
func only(objects []object, kind string) (object, error) {
	matched := byKind(objects, kind)
	if len(matched) != 1 {
		return object{}, fmt.Errorf("want exactly one %s, rendered %d", kind, len(matched))
	}
	return matched[0], nil
}
