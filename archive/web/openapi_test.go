package web

import (
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// loadOpenAPI parses openapi.yaml, the description of the API the server
// embeds and serves at /api/openapi.yaml.
func loadOpenAPI(t *testing.T) map[string]any {
	t.Helper()
	data, err := os.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := yaml.Unmarshal(data, &spec); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return spec
}

// obj is v as a YAML mapping with string keys (nil if it is not one).
func obj(v any) map[string]any {
	switch m := v.(type) {
	case map[string]any:
		return m
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, x := range m {
			ks, ok := k.(string)
			if !ok {
				return nil
			}
			out[ks] = x
		}
		return out
	}
	return nil
}

func TestOpenAPIHeader(t *testing.T) {
	spec := loadOpenAPI(t)
	if v, _ := spec["openapi"].(string); !strings.HasPrefix(v, "3.") {
		t.Errorf("openapi = %#v, want a 3.x version string", spec["openapi"])
	}
	info := obj(spec["info"])
	if info == nil {
		t.Fatal("no info")
	}
	for _, k := range []string{"title", "version"} {
		if v, _ := info[k].(string); strings.TrimSpace(v) == "" {
			t.Errorf("info.%s = %#v, want a string", k, info[k])
		}
	}
	if obj(spec["paths"]) == nil {
		t.Fatal("no paths")
	}
}

var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestOpenAPIRoutes checks that the description and the server's routes
// agree: every API route is described, and everything described is served.
func TestOpenAPIRoutes(t *testing.T) {
	paths := obj(loadOpenAPI(t)["paths"])
	if paths == nil {
		t.Fatal("no paths")
	}
	described := map[string]bool{} // "get /api/documents"
	for p, item := range paths {
		ops := obj(item)
		if ops == nil {
			t.Errorf("paths[%q] is not a mapping", p)
			continue
		}
		for m, op := range ops {
			if !slices.Contains(openAPIMethods, m) {
				continue
			}
			described[m+" "+p] = true
			o := obj(op)
			if o == nil || obj(o["responses"]) == nil {
				t.Errorf("%s %s: no responses", m, p)
				continue
			}
			for code, resp := range obj(o["responses"]) {
				r := obj(resp)
				if r == nil {
					t.Errorf("%s %s: response %s is not a mapping", m, p, code)
				} else if _, ref := r["$ref"]; !ref && r["description"] == nil {
					t.Errorf("%s %s: response %s has no description", m, p, code)
				}
			}
		}
	}

	served := map[string]bool{
		// Only when metrics are on (a zero Server has none).
		"get /metrics": true,
	}
	for _, r := range (&Server{}).routes() {
		key := strings.ToLower(r.method) + " " + r.path
		served[key] = true
		if !strings.HasPrefix(r.path, "/api/") && r.path != "/healthz" && r.path != "/metrics" {
			continue
		}
		if !described[key] {
			t.Errorf("route %s %s is not in openapi.yaml", r.method, r.path)
		}
	}
	for key := range described {
		if !served[key] {
			t.Errorf("openapi.yaml describes %s, which the server does not serve", key)
		}
	}
}

// TestOpenAPIRefs checks that every $ref points at something defined.
func TestOpenAPIRefs(t *testing.T) {
	spec := loadOpenAPI(t)
	n := 0
	var walk func(v any, at string)
	walk = func(v any, at string) {
		if m := obj(v); m != nil {
			for k, x := range m {
				if k == "$ref" {
					n++
					ref, _ := x.(string)
					if !strings.HasPrefix(ref, "#/components/") {
						t.Errorf("%s: $ref %#v does not point into #/components/", at, x)
					} else if resolve(spec, ref) == nil {
						t.Errorf("%s: $ref %q is not defined", at, ref)
					}
					continue
				}
				walk(x, at+"/"+k)
			}
			return
		}
		if l, ok := v.([]any); ok {
			for i, x := range l {
				walk(x, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(spec, "#")
	if n == 0 {
		t.Error("no $ref at all: are the components used?")
	}
}

// resolve follows a local JSON pointer ("#/components/schemas/Document").
func resolve(spec map[string]any, ref string) any {
	var cur any = spec
	for _, tok := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m := obj(cur)
		if m == nil {
			return nil
		}
		var ok bool
		if cur, ok = m[tok]; !ok {
			return nil
		}
	}
	return cur
}
