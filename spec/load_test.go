package spec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	d := mustDefault(t)
	if d.Name != DefaultName {
		t.Errorf("Name = %q, want %q", d.Name, DefaultName)
	}
	sum := sha256.Sum256(DefaultBytes())
	if d.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("SHA256 = %s, want the digest of DefaultBytes()", d.SHA256)
	}
	if d.Doc == nil || d.Doc.OpenAPI == "" {
		t.Fatal("Doc not loaded")
	}
}

// The embedded description is the file in the repository: what `graphconform` runs by default is
// what a reviewer reads.
func TestDefaultBytesIsTheShippedFile(t *testing.T) {
	onDisk, err := os.ReadFile(filepath.Join("openapi", "disconnect.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(DefaultBytes(), onDisk) {
		t.Fatal("DefaultBytes() differs from spec/openapi/disconnect.yaml")
	}
	b := DefaultBytes()
	b[0] ^= 0xff
	if !bytes.Equal(DefaultBytes(), onDisk) {
		t.Fatal("DefaultBytes() returns the embedded slice itself: a caller changed the shipped description")
	}
}

func TestLoadFileMatchesDefault(t *testing.T) {
	path := filepath.Join("openapi", "disconnect.yaml")
	d := mustLoadFile(t, path)
	if d.Name != path {
		t.Errorf("Name = %q, want %q", d.Name, path)
	}
	if d.SHA256 != mustDefault(t).SHA256 {
		t.Error("LoadFile of the shipped file and Default() disagree on SHA256")
	}
	ops, err := d.Contracts(t.Context(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := shippedDisconnect(currentPermissions())
	want.Source = "disconnect.yaml (permissions: revision current)" // base name of the file, not the path
	if len(ops) != 1 {
		t.Fatalf("got %d contracts, want 1", len(ops))
	}
	checkContract(t, ops[0], want)
}

// A JSON rendering of the shipped description gives the same contract (LoadFile accepts YAML or JSON).
func TestLoadJSON(t *testing.T) {
	b, err := json.Marshal(mustDefault(t).Doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "disconnect.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	ops, err := mustLoadFile(t, path).Contracts(t.Context(), Options{Revision: "pre-2021"})
	if err != nil {
		t.Fatal(err)
	}
	want := shippedDisconnect(pre2021Permissions())
	want.Source = "disconnect.json (permissions: revision pre-2021)"
	if len(ops) != 1 {
		t.Fatalf("got %d contracts, want 1", len(ops))
	}
	checkContract(t, ops[0], want)
}

func TestLoadFileMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := LoadFile(path)
	if err == nil {
		t.Fatal("LoadFile of a missing file succeeded")
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v does not wrap fs.ErrNotExist", err)
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error %q does not name the file", err)
	}
}

func TestLoadNamesTheSource(t *testing.T) {
	for _, data := range [][]byte{nil, {}, []byte("{"), []byte("openapi: 3.0.4\n")} {
		_, err := Load("from-the-config.yaml", data)
		if err == nil {
			t.Errorf("Load(%q) succeeded", data)
			continue
		}
		if !strings.Contains(err.Error(), "from-the-config.yaml") {
			t.Errorf("Load(%q): error %q does not name the source", data, err)
		}
	}
}

// brokenCase is one broken description under testdata/broken. Every one must give an error (never a
// panic) that names the file and says what is wrong.
type brokenCase struct {
	file string
	// atLoad: the error comes from LoadFile; otherwise from Contracts.
	atLoad bool
	want   []string
	opts   Options
	bug    string // non-empty: a known bug in the code under test, the case is skipped
}

var brokenCases = []brokenCase{
	{file: "empty.yaml", atLoad: true, want: []string{"empty"}},
	{file: "not-yaml.yaml", atLoad: true, want: []string{"cannot be loaded"}},
	{file: "truncated-json.json", atLoad: true, want: []string{"cannot be loaded"}},
	{file: "yaml-scalar.yaml", atLoad: true, want: []string{"cannot be loaded"}},
	{file: "yaml-list.yaml", atLoad: true, want: []string{"cannot be loaded"}},
	{file: "not-openapi.yaml", atLoad: true, want: []string{`no "openapi" version field`}},
	{file: "swagger2.yaml", atLoad: true, want: []string{`no "openapi" version field`, "OpenAPI 3"}},
	{file: "no-paths.yaml", atLoad: true, want: []string{"declares no paths"}},
	{file: "no-paths-key.yaml", atLoad: true, want: []string{"declares no paths"}},
	{file: "external-ref.yaml", atLoad: true, want: []string{"external reference", "errors.yaml"}},
	{file: "dangling-ref.yaml", atLoad: true, want: []string{"#/components/responses/nope"}},

	{file: "undeclared-path-param.yaml", want: []string{"POST /things/{thing-id}/poke", "{thing-id} is not declared"}},
	{file: "path-param-in-query.yaml", want: []string{"{thing-id} is not declared"}},
	{file: "path-param-misspelt.yaml", want: []string{"{thing-id} is not declared"}},
	{file: "invalid-param-schema.yaml", want: []string{"thing-id", "strnig"}},
	{file: "missing-operationid.yaml", want: []string{"POST /things/{thing-id}/poke", "no operationId"}},
	{file: "no-2xx.yaml", want: []string{"POST /things/{thing-id}/poke", "no 2xx response"}},
	{file: "no-responses.yaml", want: []string{"things.thing.poke", "response"}},
	{file: "null-error-media-type.yaml", want: []string{"things.thing.poke", "media type application/json is empty"}},

	{file: "permissions-missing.yaml", want: []string{"things.thing.poke", "no x-ms-permissions", "--permissions"}},
	{file: "permissions-empty-list.yaml", want: []string{"x-ms-permissions", "list of revisions is empty"}},
	{file: "permissions-null.yaml", want: []string{"x-ms-permissions", "empty"}},
	{file: "permissions-scalar.yaml", want: []string{"x-ms-permissions", "want a list of revisions or one revision object"}},
	{file: "permissions-revision-not-object.yaml", want: []string{"x-ms-permissions", "want a list of revisions or one revision object"}},
	{file: "permissions-unnamed-revision.yaml", want: []string{"x-ms-permissions", "revision #2 has no name"}},
	{file: "permissions-row-number.yaml", want: []string{"x-ms-permissions", `revision "current", application`, "want a list of permissions or \"notSupported\""}},
	{file: "permissions-row-word.yaml", want: []string{"x-ms-permissions", "application", `"Not yet decided" is neither a list of permissions nor "notSupported"`}},
	{file: "permissions-row-object.yaml", want: []string{"x-ms-permissions", "application", "want a list of permissions"}},
	{file: "permissions-row-empty-list.yaml", want: []string{"x-ms-permissions", "application", "empty list", "notSupported"}},
	{file: "permissions-row-missing.yaml", want: []string{"x-ms-permissions", "application", "missing"}},
	{file: "permissions-item-no-permission.yaml", want: []string{"x-ms-permissions", "delegatedWork", "item #2", "permission"}},
	{file: "permissions-item-empty-string.yaml", want: []string{"x-ms-permissions", "delegatedWork", "item #1 is empty"}},
	{file: "permissions-item-number.yaml", want: []string{"x-ms-permissions", "application", "item #2"}},
}

func TestBrokenDescriptions(t *testing.T) {
	for _, tc := range brokenCases {
		t.Run(tc.file, func(t *testing.T) {
			if tc.bug != "" {
				t.Skip("bug: " + tc.bug)
			}
			path := filepath.Join("testdata", "broken", tc.file)
			d, err := loadNoPanic(path)
			if err == nil && !tc.atLoad {
				_, err = contractsNoPanic(d, tc.opts)
			}
			var pe *panicError
			switch {
			case errors.As(err, &pe):
				t.Fatalf("panicked instead of returning an error: %v", err)
			case err == nil && tc.atLoad:
				t.Fatal("LoadFile succeeded, want an error")
			case err == nil:
				t.Fatal("Contracts succeeded, want an error")
			case tc.atLoad && d != nil:
				t.Fatalf("LoadFile returned a description along with error %v", err)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error does not name the file %s: %v", path, err)
			}
			if missing := containsAll(err.Error(), tc.want...); len(missing) > 0 {
				t.Errorf("error %q does not say %q", err, missing)
			}
		})
	}
}

// Every file under testdata/broken is in the table (a new file cannot be forgotten).
func TestBrokenCasesCoverTestdata(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "broken", "*"))
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, tc := range brokenCases {
		listed[tc.file] = true
	}
	for _, f := range files {
		if !listed[filepath.Base(f)] {
			t.Errorf("%s has no entry in brokenCases", f)
		}
		delete(listed, filepath.Base(f))
	}
	for f := range listed {
		t.Errorf("brokenCases lists %s, which is not in testdata/broken", f)
	}
}
