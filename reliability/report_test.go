package reliability

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/graphconform/graphconform/report"
)

// jsonReport is the part of report.json these tests read.
type jsonReport struct {
	Summary struct {
		Gate         string `json:"gate"`
		Passed       bool   `json:"passed"`
		Requirements []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"requirements"`
	} `json:"summary"`
	Verdicts []struct {
		Requirement reqID  `json:"requirement"`
		Case        string `json:"case"`
		Outcome     string `json:"outcome"`
		Message     string `json:"message"`
		Exchanges   []struct {
			Status    int    `json:"status"`
			Body      string `json:"body"`
			BodyBytes int    `json:"bodyBytes"`
			Error     string `json:"error"`
		} `json:"exchanges"`
	} `json:"verdicts"`
}

// reqID reads a verdict's requirement, which report.json (format 2) writes as its ID.
type reqID struct{ ID string }

func (r *reqID) UnmarshalJSON(b []byte) error { return json.Unmarshal(b, &r.ID) }

func readReport(t *testing.T, dir string) jsonReport {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := report.ValidateFile(filepath.Join(dir, "report.json")); err != nil {
		t.Errorf("report.json does not match its schema: %v", err)
	}
	var r jsonReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// status is a requirement's status in the report ("" when absent).
func (r jsonReport) status(id string) string {
	for _, q := range r.Summary.Requirements {
		if q.ID == id {
			return q.Status
		}
	}
	return ""
}

// passes counts the verdicts that passed.
func (r jsonReport) passes() int {
	n := 0
	for _, v := range r.Verdicts {
		if v.Outcome == "pass" {
			n++
		}
	}
	return n
}

// fileSizes maps every file in dir to its size.
func fileSizes(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range entries {
		if fi, err := e.Info(); err == nil && !e.IsDir() {
			out[e.Name()] = fi.Size()
		}
	}
	return out
}
