package permissions

import (
	"sync"
	"testing"

	"github.com/graphconform/graphconform/internal/msgraphdata"
	"github.com/graphconform/graphconform/spec"
)

// BenchmarkV1 measures the lookup on Microsoft's v1.0 (bench/RESULTS.md): reading permissions.json
// (3 MB) into an overlay, reading the description's routes (RoutesOf, from kin-openapi), binding
// the overlay to them, and finding the 1,540 actions and functions, with and without building
// their tables. Run: go test -run '^$' -bench BenchmarkV1 -benchmem ./permissions/
func BenchmarkV1(b *testing.B) {
	d := loadV1(b)
	var ops []operation
	for _, op := range d.desc.Ops {
		if op.Kind == "action" || op.Kind == "function" {
			ops = append(ops, op)
		}
	}
	perLookup := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ops)), "ns/lookup")
	}
	b.Run("parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := Parse("permissions.json", d.perms); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("routesOf", func(b *testing.B) {
		doc := kinV1(b)
		for b.Loop() {
			RoutesOf(doc.Doc)
		}
	})
	b.Run("bind", func(b *testing.B) {
		for b.Loop() {
			d.overlay.Bind(d.desc.Routes)
		}
	})
	b.Run("find", func(b *testing.B) {
		for b.Loop() {
			for _, op := range ops {
				d.lookup.Find(op.Method, op.Path)
			}
		}
		perLookup(b)
	})
	b.Run("permissionsFor", func(b *testing.B) {
		for b.Loop() {
			for _, op := range ops {
				d.lookup.PermissionsFor(op.Method, op.Path, DefaultRevision)
			}
		}
		perLookup(b)
	})
	b.Run("parse+bind+permissionsFor", func(b *testing.B) {
		for b.Loop() {
			o, err := Parse("permissions.json", d.perms)
			if err != nil {
				b.Fatal(err)
			}
			l := o.Bind(d.desc.Routes)
			for _, op := range ops {
				l.PermissionsFor(op.Method, op.Path, DefaultRevision)
			}
		}
	})
}

var (
	kinOnce sync.Once
	kinDesc *spec.Description
	kinErr  error
)

// kinV1 is the v1.0 description loaded with kin-openapi (seconds: benchmarks only).
func kinV1(b *testing.B) *spec.Description {
	b.Helper()
	data := msgraphdata.OpenAPI(b)
	kinOnce.Do(func() {
		kinDesc, kinErr = spec.Load("openapi-v1.0.yaml", data)
	})
	if kinErr != nil {
		b.Fatal(kinErr)
	}
	return kinDesc
}
