package permissions

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/spec"
)

const disconnectID = "deviceManagement.remoteAssistancePartners.remoteAssistancePartner.disconnect"

// Selecting from a Microsoft-style description of 1,000+ paths, with the permissions overlay.
// The document holds an invalid, unreferenced schema: if Contracts validated the whole document
// (minutes on Graph-sized, cross-referenced files), it would fail here.
func TestSelectFromLargeDescription(t *testing.T) {
	g := graphgen.New(1200)
	openapiFile, permsFile, err := g.Write(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	d, err := spec.LoadFile(openapiFile)
	if err != nil {
		t.Fatal(err)
	}
	load := time.Since(start)
	o, err := LoadFile(permsFile)
	if err != nil {
		t.Fatal(err)
	}
	if n := d.Doc.Paths.Len(); n < 1000 {
		t.Fatalf("generated %d paths, want 1,000+", n)
	}
	poison := d.Doc.Components.Schemas[graphgen.PoisonSchema]
	if poison == nil || poison.Value.Validate(t.Context()) == nil {
		t.Fatal("the poison schema is missing or valid: the test would not notice a whole-document Validate")
	}

	s1 := g.Sets[1]
	for _, tc := range []struct {
		name string
		sel  spec.Selector
		want int
	}{
		{"operationId", spec.Selector{OperationIDs: []string{disconnectID}}, 1},
		{"tag", spec.Selector{Tags: []string{s1.Tag()}}, 8}, // list, create, get, update, delete, $count, 2 actions
		{"path glob", spec.Selector{Paths: []string{"/deviceManagement/*/{*}/disconnect"}}, 1},
		{"path glob across sets", spec.Selector{Paths: []string{"/" + s1.Root + "/*/{*}/" + s1.Actions[0].Name}}, countAction(g, s1.Root, s1.Actions[0].Name)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			ops, err := d.Contracts(t.Context(), spec.Options{Select: tc.sel, Permissions: o})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d paths: load %v, select %s %v (%d operations)", d.Doc.Paths.Len(), load, tc.name, time.Since(start), len(ops))
			if len(ops) != tc.want {
				t.Errorf("selected %d operations, want %d", len(ops), tc.want)
			}
			for _, op := range ops {
				if !op.Permissions.Schemes[contract.Work].Supported {
					t.Errorf("%s: no work-account grant from the overlay", op.ID)
				}
			}
		})
	}

	ops, err := d.Contracts(t.Context(), spec.Options{Select: spec.Selector{OperationIDs: []string{disconnectID}}, Permissions: o})
	if err != nil {
		t.Fatal(err)
	}
	want := []grant{{serviceConfigRW, true}, {configurationRW, false}}
	if got := grantsOf(ops[0].Permissions.Schemes[contract.Application]); !reflect.DeepEqual(got, want) {
		t.Errorf("disconnect application grants = %v, want %v", got, want)
	}
	if ops[0].Success != 204 || ops[0].Body.Accepted || ops[0].Error.Schema != "microsoft.graph.ODataErrors.ODataError" {
		t.Errorf("disconnect contract: %+v", ops[0])
	}
}

func countAction(g *graphgen.Graph, root, action string) int {
	n := 0
	for _, s := range g.Sets {
		for _, a := range s.Actions {
			if s.Root == root && a.Name == action {
				n++
			}
		}
	}
	return n
}

// BenchmarkLoadAndSelect measures what a run pays before its first spec: loading the description and
// the permissions file, and selecting one operation. go test -run '^$' -bench LoadAndSelect -benchtime 3x ./permissions
func BenchmarkLoadAndSelect(b *testing.B) {
	for _, paths := range []int{1000, 5000} {
		g := graphgen.New(paths)
		openapiFile, permsFile, err := g.Write(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		info, _ := os.Stat(openapiFile)
		b.Run(fmt.Sprintf("paths=%d", paths), func(b *testing.B) {
			b.ReportAllocs()
			var load, sel time.Duration
			var heap uint64
			for b.Loop() {
				start := time.Now()
				d, err := spec.LoadFile(openapiFile)
				if err != nil {
					b.Fatal(err)
				}
				o, err := LoadFile(permsFile)
				if err != nil {
					b.Fatal(err)
				}
				load += time.Since(start)
				start = time.Now()
				if _, err := d.Contracts(b.Context(), spec.Options{Select: spec.Selector{Tags: []string{g.Sets[1].Tag()}}, Permissions: o}); err != nil {
					b.Fatal(err)
				}
				sel += time.Since(start)
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				heap = ms.HeapAlloc
				runtime.KeepAlive(d)
			}
			b.ReportMetric(float64(load.Milliseconds())/float64(b.N), "load-ms/op")
			b.ReportMetric(float64(sel.Microseconds())/float64(b.N), "select-µs/op")
			b.ReportMetric(float64(heap)/(1<<20), "retained-MiB")
			b.ReportMetric(float64(info.Size())/(1<<20), "file-MiB")
		})
	}
}
