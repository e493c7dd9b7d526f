package permissions

// Microsoft's published v1.0 description and permissions file (../shared/graph-data/msgraph-v1.0/,
// see its README), read gzip-compressed in place. The description is read with a YAML decode of
// just what the rules need: kin-openapi takes seconds for its 17.5 MB (about a minute under -race),
// and TestRoutesOfMatchesYAML proves that this reader and RoutesOf agree.

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	yaml "go.yaml.in/yaml/v3"

	"github.com/graphconform/graphconform/internal/msgraphdata"
)

// graphData is ../shared/graph-data relative to the repository root (this package is one below).
var graphData = filepath.Join("..", "..", "shared", "graph-data")

type yamlParam struct {
	Ref     string `yaml:"$ref"`
	Name    string `yaml:"name"`
	In      string `yaml:"in"`
	KeyType string `yaml:"x-ms-docs-key-type"`
}

type yamlOp struct {
	OperationID string      `yaml:"operationId"`
	Kind        string      `yaml:"x-ms-docs-operation-type"`
	Parameters  []yamlParam `yaml:"parameters"`
	Responses   map[string]struct {
		Content map[string]struct {
			Schema struct {
				Ref string `yaml:"$ref"`
			} `yaml:"schema"`
		} `yaml:"content"`
	} `yaml:"responses"`
}

type yamlItem struct {
	Parameters []yamlParam `yaml:"parameters"`
	Get        *yamlOp     `yaml:"get"`
	Put        *yamlOp     `yaml:"put"`
	Post       *yamlOp     `yaml:"post"`
	Delete     *yamlOp     `yaml:"delete"`
	Patch      *yamlOp     `yaml:"patch"`
}

func (it yamlItem) ops() map[string]*yamlOp {
	out := map[string]*yamlOp{}
	for m, op := range map[string]*yamlOp{"GET": it.Get, "PUT": it.Put, "POST": it.Post, "DELETE": it.Delete, "PATCH": it.Patch} {
		if op != nil {
			out[m] = op
		}
	}
	return out
}

// operation is one operation of a description, as the tests count them.
type operation struct {
	Method, Path, ID, Kind string
}

// described is what the tests read of a description.
type described struct {
	Routes []Route
	Ops    []operation // in path order, then method order
}

func readDescription(data []byte) (described, error) {
	var doc struct {
		Paths      map[string]yamlItem `yaml:"paths"`
		Components struct {
			Parameters map[string]yamlParam `yaml:"parameters"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return described{}, err
	}
	resolve := func(p yamlParam) yamlParam {
		if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
			return doc.Components.Parameters[name]
		}
		return p
	}
	var d described
	for _, p := range slices.Sorted(maps.Keys(doc.Paths)) {
		item := doc.Paths[p]
		r := Route{Path: p, KeyTypes: map[string]string{}}
		lists := [][]yamlParam{item.Parameters}
		ops := item.ops()
		for _, m := range slices.Sorted(maps.Keys(ops)) {
			lists = append(lists, ops[m].Parameters)
			d.Ops = append(d.Ops, operation{Method: m, Path: p, ID: ops[m].OperationID, Kind: ops[m].Kind})
		}
		for _, list := range lists {
			for _, prm := range list {
				if prm = resolve(prm); prm.In == "path" && prm.KeyType != "" {
					r.KeyTypes[prm.Name] = prm.KeyType
				}
			}
		}
		if g := item.Get; g != nil && g.Kind != "function" && g.Kind != "action" {
			for _, status := range slices.Sorted(maps.Keys(g.Responses)) {
				mt, ok := g.Responses[status].Content["application/json"]
				if strings.HasPrefix(status, "2") && ok {
					r.Returns = EntityType(mt.Schema.Ref)
					break
				}
			}
		}
		d.Routes = append(d.Routes, r)
	}
	return d, nil
}

// v1 is Microsoft's v1.0 data, read once per test binary.
type v1 struct {
	overlay *Overlay
	desc    described
	lookup  *Lookup
	perms   []byte // the decompressed permissions.json, for benchmarks that parse it again
}

var (
	v1Once sync.Once
	v1Data v1
	v1Err  error
)

func loadV1(t testing.TB) *v1 {
	t.Helper()
	perms, desc := msgraphdata.PermissionsJSON(t), msgraphdata.OpenAPI(t)
	v1Once.Do(func() {
		v1Data, v1Err = readV1(perms, desc)
	})
	if v1Err != nil {
		t.Fatal(v1Err)
	}
	return &v1Data
}

func readV1(perms, raw []byte) (v1, error) {
	o, err := Parse("permissions.json", perms)
	if err != nil {
		return v1{}, err
	}
	desc, err := readDescription(raw)
	if err != nil {
		return v1{}, fmt.Errorf("%s: %w", msgraphdata.OpenAPIFile, err)
	}
	return v1{overlay: o, desc: desc, lookup: o.Bind(desc.Routes), perms: perms}, nil
}
