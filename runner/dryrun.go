package runner

import (
	"context"
	"fmt"
	"io"

	"github.com/onsi/ginkgo/v2/types"

	"github.com/graphconform/graphconform/suites/conformance"
)

// dryRun executes every selected case with a recording client and prints the requests it would
// have sent (conformance.Prepared.WriteDryRun): specs that cannot send their request say why, and
// the selected operations that are not built are listed with their reasons. It runs the cases
// directly (package plan is plain Go), not under Ginkgo: nothing is judged, and the list is what
// the cases of a real run send (a real run orders them by area).
func dryRun(ctx context.Context, p *conformance.Prepared, filter types.LabelFilter, allowMutation bool, stdout io.Writer) int {
	p.WriteDryRun(ctx, stdout, filter)
	if !allowMutation && !isLoopbackURL(p.Env.BaseURL) {
		fmt.Fprintf(stdout, "A real run against %s needs target.allowMutation: true in the config.\n", p.Target)
	}
	return exitOK
}
