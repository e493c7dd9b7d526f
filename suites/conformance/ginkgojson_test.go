package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/onsi/ginkgo/v2/types"
)

// TestWriteSlimGinkgoJSON: the streamed file is Ginkgo's format (an array of one report), holds
// every spec report in order without its verdict entry, and a failed spec keeps its timeline.
func TestWriteSlimGinkgoJSON(t *testing.T) {
	entry := func(name string) types.ReportEntry { return types.ReportEntry{Name: name} }
	events := types.SpecEvents{{SpecEventType: types.SpecEventNodeStart, Message: "It"}}
	r := types.Report{SuiteDescription: "graphconform", SuiteSucceeded: false, StartTime: time.Unix(1, 0).UTC(),
		SpecReports: types.SpecReports{
			{LeafNodeText: "a", State: types.SpecStatePassed, SpecEvents: events, ReportEntries: []types.ReportEntry{entry(verdictEntry), entry("kept")}},
			{LeafNodeText: "b", State: types.SpecStateFailed, SpecEvents: events, ReportEntries: []types.ReportEntry{entry(verdictEntry)}},
			{LeafNodeText: "c \"quoted\" SpecReports:[]", State: types.SpecStateSkipped},
		}}
	path := filepath.Join(t.TempDir(), "ginkgo-report.json")
	if err := WriteSlimGinkgoJSON(path, r); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	var got []types.Report
	if err := json.Unmarshal(raw, &got); err != nil || len(got) != 1 {
		t.Fatalf("not Ginkgo's format: %v\n%s", err, raw)
	}
	specs := got[0].SpecReports
	if got[0].SuiteDescription != "graphconform" || len(specs) != 3 || specs[0].LeafNodeText != "a" || specs[2].LeafNodeText != r.SpecReports[2].LeafNodeText {
		t.Fatalf("report %+v", got[0])
	}
	if len(specs[0].ReportEntries) != 1 || specs[0].ReportEntries[0].Name != "kept" || len(specs[1].ReportEntries) != 0 {
		t.Errorf("verdict entries kept: %+v / %+v", specs[0].ReportEntries, specs[1].ReportEntries)
	}
	if len(specs[0].SpecEvents) != 0 || len(specs[1].SpecEvents) != 1 {
		t.Errorf("timelines: passed %d (want 0), failed %d (want 1)", len(specs[0].SpecEvents), len(specs[1].SpecEvents))
	}
	if len(r.SpecReports[0].ReportEntries) != 2 {
		t.Error("the suite's own report lost its verdict entries")
	}
}
