package conformance

import (
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/report"
	"github.com/graphconform/graphconform/spec"
)

// unbuiltShown is how many unbuilt operations a one-line summary names.
const unbuiltShown = 3

// checkBuilt refuses a selection of which nothing can be built: a run that could exercise nothing
// is a configuration problem (exit 2), said in one line with the counts by reason.
func (p *Prepared) checkBuilt() error {
	if len(p.Operations) > 0 {
		return nil
	}
	var names []string
	for _, d := range p.Descriptions {
		names = append(names, d.Name)
	}
	return fmt.Errorf("OpenAPI description %s: nothing selected can be built: %s (graphconform operations lists every operation and why)",
		strings.Join(names, ", "), spec.SummarizeUnbuilt(p.Unbuilt, unbuiltShown))
}

// UnbuiltSummary is one line for the console about the selected operations that are not built, ""
// when every selected operation is.
func (p *Prepared) UnbuiltSummary() string {
	if len(p.Unbuilt) == 0 {
		return ""
	}
	return p.Redactor.String(fmt.Sprintf("graphconform: %d of %d selected operations built; %s; they are not exercised (graphconform operations says why for each)\n",
		len(p.Operations), len(p.Operations)+len(p.Unbuilt), spec.SummarizeUnbuilt(p.Unbuilt, unbuiltShown)))
}

// reportUnbuilt is the reports' form of Unbuilt.
func (p *Prepared) reportUnbuilt() []report.Unbuilt {
	if len(p.Unbuilt) == 0 {
		return nil
	}
	out := make([]report.Unbuilt, len(p.Unbuilt))
	for i, u := range p.Unbuilt {
		out[i] = report.Unbuilt{OperationID: u.OperationID, Kind: u.Kind, Method: u.Method, Path: u.Path,
			Source: u.Source, Reason: u.Reason, Detail: p.Redactor.String(u.Detail)}
	}
	return out
}
