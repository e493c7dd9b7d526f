package spec

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fuzzSeeds are the seed corpus of FuzzLoad: the shipped description, Microsoft's files and every
// description under testdata/valid and testdata/broken, except broken cases that trip a known bug
// (brokenCases[i].bug): those would fail the seed run; add them back once the bug is fixed.
func fuzzSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{DefaultBytes()}
	knownBug := map[string]bool{}
	for _, tc := range brokenCases {
		if tc.bug != "" {
			knownBug[tc.file] = true
		}
	}
	for _, pattern := range []string{
		filepath.Join("testdata", "graph", "*.yaml"),
		filepath.Join("testdata", "valid", "*"),
		filepath.Join("testdata", "broken", "*"),
	} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			if knownBug[filepath.Base(file)] {
				continue
			}
			b, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			seeds = append(seeds, b)
		}
	}
	// A few documents that exercise the x-ms-permissions decoder with odd JSON shapes.
	for _, perms := range []string{
		`{revision: [a], delegatedWork: [A], delegatedPersonal: notSupported, application: notSupported}`,
		`[{revision: a, delegatedWork: [{permission: A, documented: maybe}], delegatedPersonal: notSupported, application: notSupported}]`,
		`[{revision: a, delegatedWork: [[A]], delegatedPersonal: [null], application: notSupported}]`,
		`[[], {}]`,
		`{}`,
		`1e999`,
	} {
		seeds = append(seeds, []byte(`openapi: 3.0.4
info: {title: t, version: v}
paths:
  /a/{id}/x:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: a.x
      responses: {'2XX': {description: ok}, default: {description: e}}
      x-ms-docs-operation-type: action
      x-ms-permissions: `+perms+"\n"))
	}
	return seeds
}

// FuzzLoad checks that no input makes Load or Contracts panic, and that what they return is
// consistent: an error names its source and comes without a description; a contract is usable.
//
// Run it with minimization off or short:
//
//	go test -run='^$' -fuzz='^FuzzLoad$' -fuzztime=5m -fuzzminimizetime=0 ./spec
//
// With the default 60s, minimizing each new multi-KB YAML input hits the timeout, the worker is
// killed and restarted (the exec counter sits at "0/sec" meanwhile, golang/go#51484), and a run can
// end with "fuzzing process hung or terminated unexpectedly while minimizing: EOF" and an input
// that does not reproduce: an engine artefact, not a finding.
func FuzzLoad(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s, "")
	}
	f.Add(DefaultBytes(), "pre-2021")
	f.Add(DefaultBytes(), "nope")

	f.Fuzz(func(t *testing.T, data []byte, revision string) {
		fuzzWatched(t, data, revision)
	})
}

// fuzzWatched runs Load and Contracts on another goroutine so that a hang is reported (with every
// goroutine's stack) instead of silently stalling the fuzzer. A panic there still crashes the
// worker, which the fuzzer records as a failure.
func fuzzWatched(t *testing.T, data []byte, revision string) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fuzzOne(data, revision) }()
	timer := time.NewTimer(fuzzDeadline)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-timer.C:
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		t.Fatalf("Load + Contracts did not finish within %v on a %d-byte input:\n%s", fuzzDeadline, len(data), buf[:n])
	}
}

// fuzzDeadline bounds one input. The largest seed (Microsoft's remoteAssistancePartners slice) takes
// milliseconds; anything near this limit is a hang or an explosion.
const fuzzDeadline = 10 * time.Second

func fuzzOne(data []byte, revision string) error {
	const name = "fuzz-input.yaml"
	d, err := Load(name, data)
	if err != nil {
		if d != nil {
			return fmt.Errorf("Load returned a description along with error %v", err)
		}
		if !strings.Contains(err.Error(), name) {
			return fmt.Errorf("Load error does not name the source: %v", err)
		}
		return nil
	}
	if d == nil || d.Doc == nil {
		return errors.New("Load returned neither a description nor an error")
	}
	for _, opts := range []Options{
		{Revision: revision},
		{Revision: revision, Permissions: &stubSource{ok: true, perms: currentPermissions()}},
		{Revision: revision, Select: Selector{Paths: []string{"*", "/*/*", "/*/*/*", "/*/*/*/*"}}},
	} {
		if err := fuzzBuild(d, opts); err != nil {
			return err
		}
		ops, err := d.Contracts(context.Background(), opts) // a panic crashes the worker: a failure
		if err != nil {
			if ops != nil {
				return fmt.Errorf("Contracts returned contracts along with error %v", err)
			}
			if !strings.Contains(err.Error(), name) {
				return fmt.Errorf("Contracts error does not name the source: %v", err)
			}
			continue
		}
		if len(ops) == 0 {
			return errors.New("Contracts returned no contract and no error")
		}
		for _, op := range ops {
			if op.ID == "" || op.Method == "" || op.Method != strings.ToUpper(op.Method) {
				return fmt.Errorf("contract without operationId or with a bad method: %+v", op)
			}
			if op.Success < 200 || op.Success > 299 {
				return fmt.Errorf("success status %d is not 2xx: %+v", op.Success, op)
			}
			values := map[string]string{}
			for _, p := range op.PathParams {
				if !strings.Contains(op.Path, "{"+p.Name+"}") {
					return fmt.Errorf("path parameter %q is not in the path %q", p.Name, op.Path)
				}
				values[p.Name] = "k/e y%"
			}
			if _, err := op.Expand(values); err != nil {
				return fmt.Errorf("Expand with every parameter: %v", err)
			}
		}
	}
	return nil
}

// FuzzPermissionsExtension fuzzes only the x-ms-permissions value (as a YAML flow value inside an
// otherwise valid description), where byte-level mutations of a whole document rarely reach.
func FuzzPermissionsExtension(f *testing.F) {
	for _, v := range []string{
		`{delegatedWork: [A], delegatedPersonal: notSupported, application: notSupported}`,
		`[{revision: current, delegatedWork: [A, {permission: B, documented: false, source: s}], delegatedPersonal: notSupported, application: [A]}, {revision: old, delegatedWork: [A], delegatedPersonal: notSupported, application: notSupported}]`,
		`[{revision: current, delegatedWork: [{permission: B}], delegatedPersonal: Not Supported, application: []}]`,
		`[]`, `{}`, `null`, `everyone`, `[x]`, `[{revision: a}, {}]`, `{delegatedWork: [''], delegatedPersonal: 1, application: {}}`,
	} {
		f.Add(v, "")
		f.Add(v, "current")
	}
	f.Fuzz(func(t *testing.T, value, revision string) {
		doc := []byte(`openapi: 3.0.4
info: {title: t, version: v}
paths:
  /a/{id}/x:
    parameters: [{name: id, in: path, required: true, schema: {type: string}}]
    post:
      operationId: a.x
      responses: {'204': {description: ok}}
      x-ms-docs-operation-type: action
      x-ms-permissions: ` + value + "\n")
		fuzzWatched(t, doc, revision)
	})
}

// fuzzBuild checks Build on an input: every selected operation is built or unbuilt with a reason,
// and the built ones are what Contracts would build of them.
func fuzzBuild(d *Description, opts Options) error {
	b, err := d.Build(context.Background(), opts)
	if err != nil {
		if len(b.Operations)+len(b.Unbuilt) > 0 {
			return fmt.Errorf("Build returned operations along with error %v", err)
		}
		return nil
	}
	if len(b.Operations)+len(b.Unbuilt) == 0 {
		return errors.New("Build returned nothing and no error")
	}
	for _, u := range b.Unbuilt {
		if u.Reason == "" || u.Detail == "" || strings.Contains(u.Detail, "\n") {
			return fmt.Errorf("unbuilt operation without a one-line reason: %+v", u)
		}
	}
	return nil
}
