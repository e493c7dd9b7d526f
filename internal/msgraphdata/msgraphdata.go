// Package msgraphdata gives tests Microsoft's published Graph v1.0 description and permissions file
// from ../shared/graph-data/msgraph-v1.0/ (relative to the repository root), gunzipped in memory:
// the files are large and are never committed uncompressed. A test calling it is skipped, with the
// place it looked, when the data is not there.
package msgraphdata

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// Names of the files in the data directory.
const (
	OpenAPIFile     = "openapi-v1.0.yaml.gz"
	PermissionsFile = "permissions.json.gz"
)

// Dir is the data directory: ../shared/graph-data/msgraph-v1.0 next to the repository root (the
// directory holding go.mod), found from the working directory up.
func Dir() (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(d), "shared", "graph-data", "msgraph-v1.0"), nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", wd)
		}
	}
}

var (
	mu    sync.Mutex
	files = map[string][]byte{}
)

// Read returns one file of the data directory, gunzipped; the test is skipped when it is absent.
func Read(t testing.TB, name string) []byte {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if b, ok := files[name]; ok {
		return b
	}
	dir, err := Dir()
	if err != nil {
		t.Skipf("Microsoft's Graph v1.0 data: %v", err)
	}
	path := filepath.Join(dir, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("Microsoft's Graph v1.0 data is not available (%v); see ../shared/graph-data/msgraph-v1.0/README.md", err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	files[name] = b
	return b
}

// OpenAPI is the description (17.5 MB), PermissionsJSON the permissions file (3 MB).
func OpenAPI(t testing.TB) []byte         { return Read(t, OpenAPIFile) }
func PermissionsJSON(t testing.TB) []byte { return Read(t, PermissionsFile) }

// WriteFiles writes both files, uncompressed, into dir (a test's temporary directory: the
// command line takes file names) and returns their paths.
func WriteFiles(t testing.TB, dir string) (openapi, permissions string) {
	t.Helper()
	openapi, permissions = filepath.Join(dir, "openapi-v1.0.yaml"), filepath.Join(dir, "permissions.json")
	for path, data := range map[string][]byte{openapi: OpenAPI(t), permissions: PermissionsJSON(t)} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return openapi, permissions
}
