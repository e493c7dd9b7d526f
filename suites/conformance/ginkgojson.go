package conformance

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"

	"github.com/onsi/ginkgo/v2/types"
)

// WriteSlimGinkgoJSON writes ginkgo-report.json in Ginkgo's format (a JSON array of one
// types.Report) from r, slimmed as SlimReport does and streamed one spec report per line.
// Ginkgo's own GenerateJSONReport indents the whole report in memory: at 1,000 actions that was a
// 194 MB document and most of the run's peak RSS (bench/RESULTS.md). The spec reports of passed
// specs also lose their timeline (SpecEvents: the It node's start and end, which State, StartTime
// and RunTime already say); every other spec keeps it.
func WriteSlimGinkgoJSON(path string, r types.Report) error {
	specs := r.SpecReports
	r.SpecReports = types.SpecReports{}
	head, err := json.Marshal([]types.Report{r})
	if err != nil {
		return fmt.Errorf("ginkgo report: %w", err)
	}
	const empty = `"SpecReports":[]`
	at := bytes.Index(head, []byte(empty))
	if at < 0 || bytes.Count(head, []byte(empty)) != 1 {
		return fmt.Errorf("ginkgo report: the report has no single SpecReports member to stream into")
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	w.Write(head[:at])
	w.WriteString(`"SpecReports":[`)
	for i, sr := range specs {
		sr = slimSpec(sr)
		if sr.State == types.SpecStatePassed {
			sr.SpecEvents = nil
		}
		b, err := json.Marshal(sr)
		if err != nil {
			f.Close()
			return fmt.Errorf("ginkgo report: %w", err)
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString("\n")
		w.Write(b) // a write error sticks to w: Flush reports it
	}
	w.WriteString("\n")
	w.Write(head[at+len(empty)-1:]) // the array's "]" and the rest of the report
	w.WriteString("\n")
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
