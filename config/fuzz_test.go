package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParse: no input makes Parse panic, and every error stays one line (CI logs, exit-2 messages).
// The seed corpus is testdata/*.yaml plus testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	lookup := func(k string) (string, bool) {
		if strings.HasPrefix(k, "SET") {
			return "value-of-" + k, true
		}
		return "", false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse("fuzz.yaml", data, lookup)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "fuzz.yaml") {
				t.Fatalf("error is not one line starting with the file name: %q", msg)
			}
			return
		}
		seen := map[string]bool{}
		for _, p := range cfg.Personas {
			if p.Name == "" || seen[p.Name] {
				t.Fatalf("accepted persona without a unique name: %+v", cfg.Personas)
			}
			seen[p.Name] = true
		}
	})
}
