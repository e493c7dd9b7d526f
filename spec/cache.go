package spec

// The contract cache. Parsing a Graph-sized description with kin-openapi costs seconds and most of
// a gigabyte, and every Ginkgo --procs process and every --shard process used to pay it, only to
// keep a few megabytes of plain contracts. LoadContracts stores those contracts on disk, keyed by
// everything they are computed from, so that the first process parses and the others decode.
//
// What makes a cached result trustworthy: the key covers the description's bytes, its base name
// (written into contract.Operation.Source), the selector, the revision, the permission source's
// fingerprint and the executable's build identity (any change of the code that builds contracts, of
// the contract types or of kin-openapi is a different binary). Entries carry their key and a digest
// of their payload; anything that does not verify is a miss. The cache never fails a run: no
// directory, a read-only one, a corrupt entry or a stuck lock all fall back to parsing.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/graphconform/graphconform/input"
)

// CacheEnv names the cache directory; "off" or "0" disables the cache.
const CacheEnv = "GRAPHCONFORM_CACHE"

// cacheFormat heads every entry. Bump it when the entry layout changes; a change of the contract
// types needs no bump (the build identity is in the key), but bumping does no harm.
const cacheFormat = "graphconform-contracts/2" // 2: the payload is a Built (contracts and unbuilt operations)

// CacheThreshold is the description size from which LoadContracts uses the cache. Below it parsing
// takes milliseconds (the shipped description is a few KiB), so small descriptions, and the tests
// that use them, behave exactly as without a cache. Tests may lower it.
var CacheThreshold = 1 << 20

// Identity names a loaded description in reports: where it came from and the digest of its bytes.
type Identity struct {
	Name   string
	SHA256 string
}

// Fingerprinter is implemented by a PermissionSource whose answers are fully determined by a
// fingerprint: equal fingerprints, equal answers. Contracts built with a source that has no
// fingerprint (or an empty one) are never cached, since the cache could not tell two sources apart.
type Fingerprinter interface {
	Fingerprint() string
}

// parse is the uncached path (a variable so that tests can count parses).
var parse = func(ctx context.Context, name string, data []byte, opts Options) (Built, error) {
	d, err := Load(name, data)
	if err != nil {
		return Built{}, err
	}
	return d.Build(ctx, opts)
}

// LoadContractsFile reads a description file and builds its selection, from the cache when it can.
// Errors are the ones LoadFile and Description.Build return.
func LoadContractsFile(ctx context.Context, path string, opts Options) (Identity, Built, error) {
	data, err := input.ReadFile(path, input.Description, "OpenAPI descriptions")
	if err != nil {
		return Identity{}, Built{}, fmt.Errorf("OpenAPI description %s: %w", path, err)
	}
	return LoadContracts(ctx, path, data, opts)
}

// LoadContracts is Load(name, data) followed by Build(ctx, opts), from the cache when the
// description is at least CacheThreshold bytes and the options can be keyed.
func LoadContracts(ctx context.Context, name string, data []byte, opts Options) (Identity, Built, error) {
	sum := sha256.Sum256(data)
	compute := func() (Built, error) { return parse(ctx, name, data, opts) }
	var built Built
	var err error
	var key, dir string
	if len(data) >= CacheThreshold { // small: not worth a file, nor the key's cost
		if k, ok := cacheKey(name, sum, opts); ok {
			key, dir = k, cacheDir()
		}
	}
	if dir == "" {
		built, err = compute()
	} else {
		built, err = cached(ctx, dir, key, compute)
	}
	if err != nil {
		return Identity{}, Built{}, err
	}
	return Identity{Name: name, SHA256: hex.EncodeToString(sum[:])}, built, nil
}

// cacheDir is $GRAPHCONFORM_CACHE or the user's cache directory, created if needed; "" for none.
func cacheDir() string {
	dir := os.Getenv(CacheEnv)
	switch strings.ToLower(dir) {
	case "off", "0":
		return ""
	case "":
		base, err := os.UserCacheDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(base, "graphconform", "contracts")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return ""
	}
	return dir
}

// cacheKey hashes everything the contracts depend on; false when something cannot be keyed.
func cacheKey(name string, sum [sha256.Size]byte, opts Options) (string, bool) {
	perms := "none"
	if opts.Permissions != nil {
		f, ok := opts.Permissions.(Fingerprinter)
		if !ok {
			return "", false
		}
		if perms = f.Fingerprint(); perms == "" {
			return "", false
		}
	}
	build := buildIdentity()
	if build == "" {
		return "", false
	}
	h := sha256.New()
	for _, s := range []string{cacheFormat, build, baseName(name), string(sum[:]), opts.Revision, perms} {
		field(h, s)
	}
	for _, list := range [][]string{opts.Select.OperationIDs, opts.Select.Tags, opts.Select.Paths} {
		field(h, strconv.Itoa(len(list)))
		for _, s := range list {
			field(h, s)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), true
}

// field writes a length-prefixed string, so that no two different inputs hash the same stream.
func field(h hash.Hash, s string) { fmt.Fprintf(h, "%d:%s;", len(s), s) }

// buildIdentity tells this executable's code from any other's: the Go build ID (a hash of the
// binary) from the ELF note, else a digest of the whole executable (a tenth of a second for 25 MB).
// A variable so that tests can stand in for a rebuilt binary; "" disables the cache.
var buildIdentity = sync.OnceValue(func() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if f, err := elf.Open(exe); err == nil {
		defer f.Close()
		if s := f.Section(".note.go.buildid"); s != nil {
			if note, err := s.Data(); err == nil && len(note) > 16 {
				return "go-buildid:" + string(note)
			}
		}
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
})

// An entry is one header line, "<cacheFormat> <key> <sha256 of payload>", then the contracts as JSON.

// readEntry returns the entry if it exists and verifies; any defect is a miss.
func readEntry(path, key string) (*Built, bool) {
	// The cache directory is shared and user-named (GRAPHCONFORM_CACHE): an entry is never larger
	// than the limit of the description it caches.
	data, err := input.ReadFile(path, input.Description, "contract cache entries")
	if err != nil {
		return nil, false
	}
	header, payload, ok := bytes.Cut(data, []byte("\n"))
	sum := sha256.Sum256(payload)
	if !ok || string(header) != entryHeader(key, sum) {
		return nil, false
	}
	var b Built
	if err := json.Unmarshal(payload, &b); err != nil || len(b.Operations)+len(b.Unbuilt) == 0 {
		return nil, false
	}
	b.shareSchemas()
	return &b, true
}

// shareSchemas makes equal schema bundles one slice, as Build's schema.Bundler made them: decoded,
// each operation held its own copy of bundles that, in a cross-referenced description, run to
// hundreds of KB and are mostly the same few.
func (b *Built) shareSchemas() {
	seen := map[[sha256.Size]byte]json.RawMessage{}
	share := func(raw *json.RawMessage) {
		if len(*raw) == 0 {
			return
		}
		sum := sha256.Sum256(*raw)
		if s, ok := seen[sum]; ok {
			*raw = s
			return
		}
		seen[sum] = *raw
	}
	for i := range b.Operations {
		share(&b.Operations[i].Body.Schema)
		share(&b.Operations[i].SuccessSchema)
	}
}

func entryHeader(key string, payloadSum [sha256.Size]byte) string {
	return cacheFormat + " " + key + " " + hex.EncodeToString(payloadSum[:])
}

// writeEntry stores a Built atomically (a temporary file in the same directory, then a rename):
// readers see the old entry or the new one, never half of one. Best effort: errors are dropped.
func writeEntry(path, key string, b Built) {
	payload, err := json.Marshal(b)
	if err != nil {
		return
	}
	// JSON loses what Go can hold and JSON cannot (invalid UTF-8, an empty slice against a nil
	// one): such contracts are not cached, rather than read back different.
	var back Built
	if json.Unmarshal(payload, &back) != nil || !reflect.DeepEqual(back, b) {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp-*")
	if err != nil {
		return
	}
	_, err = fmt.Fprintf(tmp, "%s\n", entryHeader(key, sha256.Sum256(payload)))
	if err == nil {
		_, err = tmp.Write(payload)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
}
