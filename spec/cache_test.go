package spec_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/contract"
	"github.com/graphconform/graphconform/graphgen"
	"github.com/graphconform/graphconform/permissions"
	"github.com/graphconform/graphconform/spec"
)

// cacheFixture is a generated description with its permissions file, a private cache directory and
// a parse counter.
type cacheFixture struct {
	cache, file, permsFile string
	graph                  *graphgen.Graph
	perms                  *permissions.Overlay
	parses                 *atomic.Int64
}

// newCacheFixture caches everything (threshold 0) in a temporary directory: tests never touch the
// user's cache.
func newCacheFixture(t *testing.T, actions int, parseDelay time.Duration) *cacheFixture {
	t.Helper()
	f := &cacheFixture{cache: t.TempDir(), graph: graphgen.ForActions(actions)}
	t.Setenv(spec.CacheEnv, f.cache)
	setThreshold(t, 0)
	var err error
	if f.file, f.permsFile, err = f.graph.Write(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if f.perms, err = permissions.LoadFile(f.permsFile); err != nil {
		t.Fatal(err)
	}
	f.parses = spec.CountParses(t, parseDelay)
	return f
}

func (f *cacheFixture) opts() spec.Options { return spec.Options{Permissions: f.perms} }

func setThreshold(t *testing.T, n int) {
	orig := spec.CacheThreshold
	spec.CacheThreshold = n
	t.Cleanup(func() { spec.CacheThreshold = orig })
}

// fresh is the uncached path: LoadFile, then Build. Results are remembered (tests never change
// a file in place), since parsing dominates the time of these tests under the race detector.
func fresh(file string, opts spec.Options) (spec.Built, error) {
	key := fmt.Sprintf("%s %#v %q %p", file, opts.Select, opts.Revision, opts.Permissions)
	freshMu.Lock()
	defer freshMu.Unlock()
	if r, ok := freshSeen[key]; ok {
		return r.ops, r.err
	}
	d, err := spec.LoadFile(file)
	var ops spec.Built
	if err == nil {
		ops, err = d.Build(context.Background(), opts)
	}
	freshSeen[key] = freshResult{ops, err}
	return ops, err
}

type freshResult struct {
	ops spec.Built
	err error
}

var (
	freshMu   sync.Mutex
	freshSeen = map[string]freshResult{}
)

// load is LoadContractsFile, checked against the uncached path and the parse counter: wantParse
// says whether this call must parse (a miss) or not (a hit).
func (f *cacheFixture) load(t *testing.T, file string, opts spec.Options, wantParse bool) []contract.Operation {
	t.Helper()
	before := f.parses.Load()
	id, got, err := spec.LoadContractsFile(context.Background(), file, opts)
	if err != nil {
		t.Fatal(err)
	}
	if parsed := f.parses.Load() - before; (parsed == 1) != wantParse || parsed > 1 {
		t.Fatalf("%d parses, want a parse: %v", parsed, wantParse)
	}
	want, err := fresh(file, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("contracts differ from a fresh parse (%d vs %d operations)", len(got.Operations), len(want.Operations))
	}
	data, _ := os.ReadFile(file)
	if sum := sha256.Sum256(data); id != (spec.Identity{Name: file, SHA256: fmt.Sprintf("%x", sum)}) {
		t.Fatalf("identity %+v, want %s %x", id, file, sum)
	}
	return got.Operations
}

func glob(t *testing.T, dir, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// onlyEntry is the cache's single entry; no lock or temporary file may be left behind.
func (f *cacheFixture) onlyEntry(t *testing.T) string {
	t.Helper()
	all := glob(t, f.cache, "*")
	if len(all) != 1 || !strings.HasSuffix(all[0], ".contracts") {
		t.Fatalf("cache holds %v, want one entry", all)
	}
	return all[0]
}

func TestContractCacheHit(t *testing.T) {
	f := newCacheFixture(t, 20, 0)
	f.load(t, f.file, f.opts(), true)
	f.onlyEntry(t)
	f.load(t, f.file, f.opts(), false)
	f.load(t, f.file, f.opts(), false)
}

// Every shipped and test description that yields contracts round-trips through the cache exactly
// (JSON would lose an empty slice against a nil one: such contracts would not be cached at all),
// and every broken one fails with exactly the uncached error.
func TestContractCacheRoundTripsTestdata(t *testing.T) {
	t.Setenv(spec.CacheEnv, t.TempDir())
	setThreshold(t, 0)
	overlay, err := permissions.LoadFile(filepath.Join("..", "permissions", "testdata", "graph-permissions-remoteassistancepartners.json"))
	if err != nil {
		t.Fatal(err)
	}
	defaultFile := filepath.Join(t.TempDir(), "disconnect.yaml")
	if err := os.WriteFile(defaultFile, spec.DefaultBytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	files := append(glob(t, "testdata", "*/*.yaml"), glob(t, "testdata", "*/*.json")...)
	files = append(files, defaultFile)
	cached := 0
	for _, file := range files {
		for _, opts := range []spec.Options{{}, {Revision: "pre-2021"}, {Permissions: overlay}} {
			want, wantErr := fresh(file, opts)
			_, got, err := spec.LoadContractsFile(context.Background(), file, opts)
			_, again, err2 := spec.LoadContractsFile(context.Background(), file, opts)
			if wantErr != nil {
				if err == nil || err.Error() != wantErr.Error() || err2 == nil || err2.Error() != wantErr.Error() {
					t.Errorf("%s %+v: errors %v / %v, want %v", file, opts, err, err2, wantErr)
				}
				continue
			}
			cached++
			if err != nil || err2 != nil || !reflect.DeepEqual(got, want) || !reflect.DeepEqual(again, want) {
				t.Errorf("%s %+v: cached contracts differ from a fresh parse (%v, %v)", file, opts, err, err2)
			}
		}
	}
	if entries := glob(t, os.Getenv(spec.CacheEnv), "*.contracts"); len(entries) != cached || cached < 8 {
		t.Errorf("%d entries for %d successful loads: some contracts do not round-trip", len(entries), cached)
	}
}

// sourceWithoutFingerprint is a permission source the cache cannot key.
type sourceWithoutFingerprint struct{ o *permissions.Overlay }

func (s sourceWithoutFingerprint) PermissionsFor(method, path, revision string) (contract.Permissions, bool) {
	return s.o.PermissionsFor(method, path, revision)
}

// Everything the contracts depend on is in the key.
func TestContractCacheKey(t *testing.T) {
	f := newCacheFixture(t, 20, 0)
	base := f.opts()
	f.load(t, f.file, base, true)

	data, err := os.ReadFile(f.permsFile)
	if err != nil {
		t.Fatal(err)
	}
	sameBytes, err := permissions.Parse("other-name.json", data) // Name is written into grant sources
	if err != nil {
		t.Fatal(err)
	}
	otherRevision, _ := permissions.Parse(filepath.Base(f.permsFile), data)
	otherRevision.Revision = "pre-2021"
	reordered := strings.Replace(string(data), "{", "{ ", 1) // same table, other bytes
	otherBytes, err := permissions.Parse(filepath.Base(f.permsFile), []byte(reordered))
	if err != nil {
		t.Fatal(err)
	}
	s1 := f.graph.Sets[1]
	for name, opts := range map[string]spec.Options{
		"operationId":            {Permissions: f.perms, Select: spec.Selector{OperationIDs: []string{s1.ActionID(s1.Actions[0])}}},
		"tag":                    {Permissions: f.perms, Select: spec.Selector{Tags: []string{s1.Tag()}}},
		"path":                   {Permissions: f.perms, Select: spec.Selector{Paths: []string{"/deviceManagement/*/{*}/disconnect"}}},
		"revision":               {Permissions: f.perms, Revision: "current"},
		"permissions file name":  {Permissions: sameBytes},
		"permissions file bytes": {Permissions: otherBytes},
		"permissions revision":   {Permissions: otherRevision, Revision: "pre-2021"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := fresh(f.file, opts); err != nil {
				// an error is not cached: it must come back the same, from a parse, every time
				_, _, err2 := spec.LoadContractsFile(context.Background(), f.file, opts)
				if err2 == nil || err2.Error() != err.Error() {
					t.Fatalf("error %v, want %v", err2, err)
				}
				return
			}
			f.load(t, f.file, opts, true)
			f.load(t, f.file, opts, false)
		})
	}

	t.Run("description bytes", func(t *testing.T) {
		g, _ := os.ReadFile(f.file)
		changed := filepath.Join(t.TempDir(), filepath.Base(f.file))
		if err := os.WriteFile(changed, append(g, "\n# one more comment\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		f.load(t, changed, base, true)
	})
	t.Run("same bytes, same base name elsewhere", func(t *testing.T) {
		g, _ := os.ReadFile(f.file)
		moved := filepath.Join(t.TempDir(), filepath.Base(f.file))
		if err := os.WriteFile(moved, g, 0o644); err != nil {
			t.Fatal(err)
		}
		f.load(t, moved, base, false)
	})
	t.Run("base name", func(t *testing.T) { // contract.Operation.Source names the file
		g, _ := os.ReadFile(f.file)
		renamed := filepath.Join(t.TempDir(), "graph.yaml")
		if err := os.WriteFile(renamed, g, 0o644); err != nil {
			t.Fatal(err)
		}
		got := f.load(t, renamed, base, true)
		if !strings.HasPrefix(got[0].Source, "graph.yaml ") {
			t.Fatalf("source %q", got[0].Source)
		}
	})
	t.Run("another build", func(t *testing.T) {
		spec.SetBuildIdentity(t, spec.BuildIdentity()+" rebuilt")
		f.load(t, f.file, base, true)
		f.load(t, f.file, base, false)
	})
	t.Run("no build identity", func(t *testing.T) {
		spec.SetBuildIdentity(t, "")
		f.load(t, f.file, base, true)
		f.load(t, f.file, base, true)
	})
	t.Run("source without fingerprint", func(t *testing.T) {
		opts := spec.Options{Permissions: sourceWithoutFingerprint{f.perms}}
		f.load(t, f.file, opts, true)
		f.load(t, f.file, opts, true)
	})
}

// A damaged entry is a miss, never an error or a wrong result, and is rewritten.
func TestContractCacheCorruptEntry(t *testing.T) {
	f := newCacheFixture(t, 20, 0)
	f.load(t, f.file, f.opts(), true)
	entry := f.onlyEntry(t)
	good, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	header, payload, _ := strings.Cut(string(good), "\n")
	fields := strings.Fields(header)
	otherKey := strings.Repeat("0", len(fields[1]))
	for name, bad := range map[string]string{
		"empty":             "",
		"truncated":         string(good[:len(good)/2]),
		"truncated payload": string(good[:len(good)-1]),
		"garbage":           "\x00\xff not a cache entry at all\n[{}]",
		"wrong key":         fields[0] + " " + otherKey + " " + fields[2] + "\n" + payload,
		"wrong format":      "graphconform-contracts/0 " + fields[1] + " " + fields[2] + "\n" + payload,
		"payload edited":    header + "\n" + strings.Replace(payload, `"success":204`, `"success":200`, 1),
		"no header":         "x",
		"no operations":     fields[0] + " " + fields[1] + " " + fmt.Sprintf("%x", sha256.Sum256([]byte("[]"))) + "\n[]",
		"a directory":       "",
	} {
		t.Run(name, func(t *testing.T) {
			if name == "a directory" {
				if err := os.Remove(entry); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(entry, 0o700); err != nil {
					t.Fatal(err)
				}
				f.load(t, f.file, f.opts(), true) // the rename fails: parsed every time, still right
				if err := os.Remove(entry); err != nil {
					t.Fatal(err)
				}
				f.load(t, f.file, f.opts(), true)
				return
			}
			if err := os.WriteFile(entry, []byte(bad), 0o600); err != nil {
				t.Fatal(err)
			}
			f.load(t, f.file, f.opts(), true)
			if b, _ := os.ReadFile(entry); string(b) != string(good) {
				t.Fatal("the damaged entry was not rewritten")
			}
			f.load(t, f.file, f.opts(), false)
		})
	}
}

// Off means no cache at all; unset means the user's cache directory.
func TestContractCacheLocation(t *testing.T) {
	f := newCacheFixture(t, 10, 0)
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "xdg"))
	t.Setenv("LocalAppData", filepath.Join(home, "appdata"))
	for _, off := range []string{"off", "OFF", "0"} {
		t.Setenv(spec.CacheEnv, off)
		f.load(t, f.file, f.opts(), true)
		f.load(t, f.file, f.opts(), true)
	}
	if all := glob(t, home, "*"); len(all) != 0 {
		t.Fatalf("GRAPHCONFORM_CACHE=off wrote %v", all)
	}
	t.Setenv(spec.CacheEnv, "")
	f.load(t, f.file, f.opts(), true)
	f.load(t, f.file, f.opts(), false)
	user, err := os.UserCacheDir()
	if err != nil {
		t.Skip(err)
	}
	if entries := glob(t, filepath.Join(user, "graphconform", "contracts"), "*.contracts"); len(entries) != 1 {
		t.Fatalf("entries in the user cache directory: %v", entries)
	}
}

// Small descriptions (the shipped one among them) are not cached: they behave exactly as before.
func TestContractCacheThreshold(t *testing.T) {
	f := newCacheFixture(t, 10, 0)
	setThreshold(t, 1<<20)
	if _, _, err := spec.LoadContracts(context.Background(), spec.DefaultName, spec.DefaultBytes(), spec.Options{}); err != nil {
		t.Fatal(err)
	}
	f.load(t, f.file, f.opts(), true)
	f.load(t, f.file, f.opts(), true)
	if all := glob(t, f.cache, "*"); len(all) != 0 {
		t.Fatalf("small descriptions were cached: %v", all)
	}
	// The same description padded to the threshold (a YAML comment) is cached.
	g, _ := os.ReadFile(f.file)
	padded := filepath.Join(t.TempDir(), "padded.yaml")
	pad := "\n#" + strings.Repeat(" padding", (spec.CacheThreshold-len(g))/8+1) + "\n"
	if err := os.WriteFile(padded, append(g, pad...), 0o644); err != nil {
		t.Fatal(err)
	}
	f.load(t, padded, f.opts(), true)
	f.load(t, padded, f.opts(), false)
}

// A cache that cannot be created or written to costs a parse, never the run.
func TestContractCacheUnusableDirectory(t *testing.T) {
	f := newCacheFixture(t, 10, 0)
	notADir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notADir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(spec.CacheEnv, filepath.Join(notADir, "cache"))
	f.load(t, f.file, f.opts(), true)
	f.load(t, f.file, f.opts(), true)

	t.Run("read-only", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes into read-only directories")
		}
		readOnly := t.TempDir()
		if err := os.Chmod(readOnly, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(readOnly, 0o700) })
		t.Setenv(spec.CacheEnv, readOnly)
		f.load(t, f.file, f.opts(), true)
		f.load(t, f.file, f.opts(), true)
	})
}

// lockOf is the lock file of the fixture's entry (learned from a first load, then removed).
func (f *cacheFixture) lockOf(t *testing.T) (entry, lock string, saved []byte) {
	t.Helper()
	f.load(t, f.file, f.opts(), true)
	entry = f.onlyEntry(t)
	saved, err := os.ReadFile(entry)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(entry); err != nil {
		t.Fatal(err)
	}
	return entry, strings.TrimSuffix(entry, ".contracts") + ".lock", saved
}

func TestContractCacheLock(t *testing.T) {
	t.Run("stale lock is taken over", func(t *testing.T) {
		f := newCacheFixture(t, 10, 0)
		spec.SetLockTimings(t, 10*time.Millisecond, time.Second, 5*time.Second, time.Minute)
		_, lock, _ := f.lockOf(t)
		if err := os.WriteFile(lock, []byte("pid 1 (crashed)"), 0o600); err != nil {
			t.Fatal(err)
		}
		old := time.Now().Add(-time.Hour)
		if err := os.Chtimes(lock, old, old); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		f.load(t, f.file, f.opts(), true)
		if d := time.Since(start); d >= time.Minute { // lockWait: it waited the lock out
			t.Fatalf("took %v: waited for a stale lock instead of taking it over", d)
		}
		f.onlyEntry(t) // written, and the lock is gone
		f.load(t, f.file, f.opts(), false)
	})
	t.Run("a live holder's entry is waited for", func(t *testing.T) {
		f := newCacheFixture(t, 10, 0)
		spec.SetLockTimings(t, 10*time.Millisecond, time.Second, time.Minute, time.Minute)
		entry, lock, saved := f.lockOf(t)
		if err := os.WriteFile(lock, []byte("another process"), 0o600); err != nil {
			t.Fatal(err)
		}
		go func() { // the holder finishes: entry first, then the lock
			time.Sleep(200 * time.Millisecond)
			_ = os.WriteFile(entry, saved, 0o600)
			_ = os.Remove(lock)
		}()
		f.load(t, f.file, f.opts(), false)
	})
	t.Run("a holder that fails releases the waiters", func(t *testing.T) {
		f := newCacheFixture(t, 10, 0)
		spec.SetLockTimings(t, 10*time.Millisecond, time.Second, time.Minute, time.Minute)
		_, lock, _ := f.lockOf(t)
		if err := os.WriteFile(lock, []byte("another process"), 0o600); err != nil {
			t.Fatal(err)
		}
		go func() { time.Sleep(100 * time.Millisecond); _ = os.Remove(lock) }()
		f.load(t, f.file, f.opts(), true)
	})
	t.Run("a waiter gives up after lockWait", func(t *testing.T) {
		f := newCacheFixture(t, 10, 0)
		spec.SetLockTimings(t, 10*time.Millisecond, time.Second, time.Minute, 300*time.Millisecond)
		_, lock, _ := f.lockOf(t)
		if err := os.WriteFile(lock, []byte("a hung process"), 0o600); err != nil {
			t.Fatal(err)
		}
		f.load(t, f.file, f.opts(), true)
		if b, err := os.ReadFile(lock); err != nil || string(b) != "a hung process" {
			t.Fatalf("another process's lock was touched: %q, %v", b, err)
		}
	})
	t.Run("the lock is released after an error", func(t *testing.T) {
		f := newCacheFixture(t, 10, 0)
		opts := spec.Options{Permissions: f.perms, Select: spec.Selector{OperationIDs: []string{"nothing.matches"}}}
		_, wantErr := fresh(f.file, opts)
		for range 2 {
			_, _, err := spec.LoadContractsFile(context.Background(), f.file, opts)
			if err == nil || err.Error() != wantErr.Error() {
				t.Fatalf("error %v, want %v", err, wantErr)
			}
		}
		if all := glob(t, f.cache, "*"); len(all) != 0 {
			t.Fatalf("left behind: %v", all)
		}
	})
}

// Loads started together parse once, and all get the same contracts. The parse is slow and the lock
// short-lived, so only the holder's refreshes keep the waiters from taking it over.
func TestContractCacheConcurrent(t *testing.T) {
	f := newCacheFixture(t, 20, time.Second)
	spec.SetLockTimings(t, 10*time.Millisecond, 20*time.Millisecond, 400*time.Millisecond, time.Minute)
	want, err := fresh(f.file, f.opts())
	if err != nil {
		t.Fatal(err)
	}
	const n = 4
	var wg sync.WaitGroup
	start := make(chan struct{})
	results := make([]spec.Built, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			<-start
			_, results[i], errs[i] = spec.LoadContractsFile(context.Background(), f.file, f.opts())
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !reflect.DeepEqual(results[i], want) {
			t.Fatalf("load %d: %v, or contracts differ", i, errs[i])
		}
	}
	if got := f.parses.Load(); got != 1 {
		t.Fatalf("%d parses for %d concurrent loads, want 1", got, n)
	}
	f.onlyEntry(t)
}

// The same across processes: the test binary re-executed as cacheChild.
const childEnv = "GRAPHCONFORM_CACHE_TEST_CHILD"

func TestContractCacheProcesses(t *testing.T) {
	if file := os.Getenv(childEnv); file != "" {
		cacheChild(t, file)
		return
	}
	f := newCacheFixture(t, 20, 0)
	const n = 3
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			cmd := exec.Command(os.Args[0], "-test.run=^TestContractCacheProcesses$", "-test.count=1")
			cmd.Env = append(os.Environ(), childEnv+"="+f.file, "GRAPHCONFORM_CACHE_TEST_PERMS="+f.permsFile)
			outs[i], errs[i] = cmd.CombinedOutput()
		})
	}
	wg.Wait()
	parses := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("child %d: %v\n%s", i, errs[i], outs[i])
		}
		_, after, ok := strings.Cut(string(outs[i]), "parses=")
		k, err := strconv.Atoi(strings.Fields(after + " x")[0])
		if !ok || err != nil {
			t.Fatalf("child %d printed %s", i, outs[i])
		}
		parses += k
	}
	if parses != 1 {
		t.Fatalf("%d processes parsed %d times, want once", n, parses)
	}
	f.load(t, f.file, f.opts(), false)
}

// cacheChild loads the description with the parent's cache, slowly (so that the children overlap),
// and prints how often it parsed.
func cacheChild(t *testing.T, file string) {
	setThreshold(t, 0)
	o, err := permissions.LoadFile(os.Getenv("GRAPHCONFORM_CACHE_TEST_PERMS"))
	if err != nil {
		t.Fatal(err)
	}
	parses := spec.CountParses(t, 500*time.Millisecond)
	if _, _, err := spec.LoadContractsFile(context.Background(), file, spec.Options{Permissions: o}); err != nil {
		t.Fatal(err)
	}
	fmt.Printf("parses=%d\n", parses.Load())
}

func TestContractCacheLoadErrors(t *testing.T) {
	t.Setenv(spec.CacheEnv, t.TempDir())
	setThreshold(t, 0)
	missing := filepath.Join(t.TempDir(), "missing.yaml")
	_, wantErr := spec.LoadFile(missing)
	_, _, err := spec.LoadContractsFile(context.Background(), missing, spec.Options{})
	if err == nil || err.Error() != wantErr.Error() || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("error %v, want %v", err, wantErr)
	}
}

// BenchmarkContractCache: loading a 1,000-action description with the cache off (a parse), into
// an empty cache (a parse and a write) and from the cache.
func BenchmarkContractCache(b *testing.B) {
	g := graphgen.ForActions(1000)
	file, permsFile, err := g.Write(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	o, err := permissions.LoadFile(permsFile)
	if err != nil {
		b.Fatal(err)
	}
	opts := spec.Options{Permissions: o}
	b.Run("off", func(b *testing.B) {
		b.Setenv(spec.CacheEnv, "off")
		for b.Loop() {
			if _, _, err := spec.LoadContractsFile(context.Background(), file, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			b.Setenv(spec.CacheEnv, b.TempDir())
			b.StartTimer()
			if _, _, err := spec.LoadContractsFile(context.Background(), file, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		b.Setenv(spec.CacheEnv, b.TempDir())
		if _, _, err := spec.LoadContractsFile(context.Background(), file, opts); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, _, err := spec.LoadContractsFile(context.Background(), file, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}
