// Package graphgen writes synthetic descriptions in the style of Microsoft's msgraph-metadata
// openapi.yaml (what the OpenAPI.NET.OData converter emits, graph-contract.md 1.1), of any size, with
// the matching permissions.json: the input of scale tests and benchmarks (bench/, permissions/).
//
// What makes it Graph-like, and expensive where Graph is: key parameters named {type-id} on the path
// item, 2XX/204 plus 4XX/5XX to #/components/responses/error, microsoft.graph.ODataErrors.* schemas,
// x-ms-docs-operation-type, entity schemas cross-referenced by navigation properties and a
// discriminator mapping (what makes kin-openapi's doc.Validate super-linear), one global oauth2
// scheme and no per-operation permissions. The real remoteAssistancePartners set comes first; the
// others are synthetic. The document also holds an unreferenced, invalid schema (PoisonSchema), so a
// tool that validates the whole document instead of what it uses fails on it.
package graphgen

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/fixtures/mock"
	"github.com/graphconform/graphconform/spec"
)

//go:embed components.yaml
var components []byte

// PoisonSchema is unreferenced and invalid (type: bogus): a doc.Validate of the whole document fails
// on it, while every operation is valid.
const PoisonSchema = "graphconform.unreferencedInvalid"

// Graph is a planned description: entity sets, each with a collection, an item, $count and two
// bound actions (eight operations on five paths).
type Graph struct {
	Sets []EntitySet
	// InlinePermissions writes the disconnect page's current permission table as x-ms-permissions on
	// every action, so the document is self-contained and the fixture personas and the reference mock's
	// policy apply to all of them. Off, like Microsoft's file: permissions come from permissions.json.
	InlinePermissions bool
}

// EntitySet is one collection /{Root}/{Nav} of entity type Type.
type EntitySet struct {
	Root, Nav, Type string
	Actions         []Action
	// Navs are the entity types this one links to (navigation properties).
	Navs [2]string
}

// Action is a bound action: Body declares parameters (target, items, comment), Returns answers 200
// with the entity instead of 204.
type Action struct {
	Name          string
	Body, Returns bool
}

var (
	genRoots    = []string{"deviceManagement", "education", "security", "identityGovernance", "solutions", "print", "employeeExperience", "admin", "storage", "communications"}
	genPrefixes = []string{"managed", "remote", "mobile", "cloud", "tenant", "compliance", "audit", "access", "windows", "android"}
	genNouns    = []string{"Partner", "Profile", "Assignment", "Configuration", "Setting", "Template", "Report", "Connector", "Session", "Rule"}
	genActions  = []Action{{"sync", false, false}, {"assign", true, false}, {"wipe", false, false}, {"restore", false, true},
		{"validateProperties", true, false}, {"archive", false, false}, {"reprocess", false, false}, {"retire", false, false}}
)

// New plans about `paths` paths: five per entity set (collection, item, $count, two actions).
func New(paths int) *Graph {
	n := max(paths/5, 1)
	g := &Graph{Sets: []EntitySet{{Root: "deviceManagement", Nav: "remoteAssistancePartners", Type: "remoteAssistancePartner",
		Actions: []Action{{"beginOnboarding", false, false}, {"disconnect", false, false}}}}}
	for i := 1; i < n; i++ {
		typ := genPrefixes[i%len(genPrefixes)] + genNouns[(i/len(genPrefixes))%len(genNouns)]
		if k := i / (len(genPrefixes) * len(genNouns)); k > 0 {
			typ += strconv.Itoa(k + 1)
		}
		g.Sets = append(g.Sets, EntitySet{Root: genRoots[i%len(genRoots)], Nav: typ + "s", Type: typ,
			Actions: []Action{genActions[i%len(genActions)], genActions[(i+3)%len(genActions)]}})
	}
	for i := range g.Sets {
		g.Sets[i].Navs = [2]string{g.Sets[(i*7+3)%n].Type, g.Sets[(i*13+5)%n].Type}
	}
	return g
}

// ForActions plans a description with at least n bound actions (two per entity set).
func ForActions(n int) *Graph { return New(5 * max((n+1)/2, 1)) }

// ActionCount is the number of bound actions.
func (g *Graph) ActionCount() int {
	n := 0
	for _, s := range g.Sets {
		n += len(s.Actions)
	}
	return n
}

func (s EntitySet) Collection() string { return "/" + s.Root + "/" + s.Nav }
func (s EntitySet) Item() string       { return s.Collection() + "/{" + s.Type + "-id}" }
func (s EntitySet) Tag() string        { return s.Root + "." + s.Type }

// ActionID is the operationId of one of the set's actions.
func (s EntitySet) ActionID(a Action) string {
	return s.Root + "." + s.Nav + "." + s.Type + "." + a.Name
}

// Write puts openapi.yaml and permissions.json into dir and returns their paths.
func (g *Graph) Write(dir string) (openapi, perms string, err error) {
	openapi, perms = filepath.Join(dir, "openapi.yaml"), filepath.Join(dir, "permissions.json")
	pj, err := json.MarshalIndent(g.Permissions(), "", "  ")
	if err != nil {
		return "", "", fmt.Errorf("graphgen: %w", err)
	}
	if err := os.WriteFile(openapi, g.OpenAPI(), 0o644); err != nil {
		return "", "", fmt.Errorf("graphgen: %w", err)
	}
	if err := os.WriteFile(perms, pj, 0o644); err != nil {
		return "", "", fmt.Errorf("graphgen: %w", err)
	}
	return openapi, perms, nil
}

// MockSets are the entity sets for mock.Options.EntitySets, so the reference mock serves every
// action of the description.
func (g *Graph) MockSets() []mock.EntitySet {
	out := make([]mock.EntitySet, 0, len(g.Sets))
	for _, s := range g.Sets {
		ms := mock.EntitySet{Root: s.Root, Name: s.Nav, Type: s.Type}
		for _, a := range s.Actions {
			ma := mock.Action{Name: a.Name, Returns: a.Returns}
			if a.Body { // as writeSet declares it: a required body of three nullable parameters
				ma.Params = []string{"comment", "items", "target"}
				ma.Required = true
				ma.Types = map[string]string{"comment": "string", "items": "array", "target": "object"}
			}
			ms.Actions = append(ms.Actions, ma)
		}
		out = append(out, ms)
	}
	return out
}

// Operations generates a description with at least n actions and inline permissions, loads it
// and returns the contracts of its actions (the default selection): what a test or benchmark needs
// to build cases and a mock to run them against (g.MockSets).
func Operations(n int) ([]contract.Operation, *Graph, error) {
	g := ForActions(n)
	g.InlinePermissions = true
	d, err := spec.Load("graphgen.yaml", g.OpenAPI())
	if err != nil {
		return nil, nil, err
	}
	ops, err := d.Contracts(context.Background(), spec.Options{})
	return ops, g, err
}
