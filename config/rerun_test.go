package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/report"
)

// --rerun reads its report when the options are resolved, in both entries; an unreadable or
// foreign one is one line naming the flag and the file, before anything is sent.
func TestRerunOption(t *testing.T) {
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, report.JSONFile))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := report.WriteJSON(f, report.Run{Tool: "graphconform", Version: "0.1.0", Revision: "current", Start: now, End: now}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, e := range []Entry{EntryRun, EntrySuite} {
		r, err := resolve(t, e, nil, "--rerun", dir)
		if err != nil || r.Config.Meta.Rerun == nil || r.Config.Meta.Rerun.File != filepath.Join(dir, report.JSONFile) {
			t.Errorf("entry %d: --rerun %s: %v, %+v", e, dir, err, r.Config.Meta.Rerun)
		}
	}
	if r, err := resolve(t, EntryRun, map[string]string{"GRAPHCONFORM_RERUN": dir}); err != nil || r.Config.Meta.Rerun != nil {
		t.Errorf("GRAPHCONFORM_RERUN was read (%v): a variable left set would make every run a rerun", err)
	}
	foreign := writeConfig(t, "other.json", `{"reportFormat": 1, "tool": "other"}`)
	for _, bad := range []string{filepath.Join(dir, "missing.json"), foreign, writeConfig(t, "text.json", "not json")} {
		_, err := resolve(t, EntryRun, nil, "--rerun", bad)
		if err == nil || !strings.HasPrefix(err.Error(), "--rerun: ") || !strings.Contains(err.Error(), bad) || strings.Contains(err.Error(), "\n") {
			t.Errorf("--rerun %s: error %v, want one line naming the flag and the file", bad, err)
		}
	}
}
