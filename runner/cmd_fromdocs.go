package runner

import (
	"context"
	"io"

	"github.com/graphconform/graphconform/refdoc"
)

// from-docs and drift read Graph reference pages; their logic lives in package docs, which its tests
// drive directly. Exit codes match the runner's: 0 success (drift: no difference), 1 drift found,
// 2 usage or input error.
func init() {
	for _, c := range []struct {
		name, summary string
		main          func(args []string, stdout, stderr io.Writer) int
	}{
		{"from-docs", "write the OpenAPI description (with x-ms-permissions) of Graph reference pages, any locale", refdoc.FromDocsMain},
		{"drift", "report every contract difference between two revisions of a reference page", refdoc.DriftMain},
	} {
		register(command{name: c.name, summary: c.summary, run: func(_ context.Context, args []string, stdout, stderr io.Writer) int {
			return c.main(args, stdout, stderr)
		}})
	}
}
