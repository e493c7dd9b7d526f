package runner

import (
	"flag"
	"fmt"
	"strings"

	"github.com/graphconform/graphconform/spec"
)

// selectFlags are the selection flags of run and operations: --operation, --path and --tag, each
// repeatable and comma-separated (commas inside (), [] and {} do not split: Graph function paths
// and glob classes hold them).
type selectFlags struct {
	operations, paths, tags selectList
}

func (s *selectFlags) bind(fs *flag.FlagSet) {
	fs.Var(&s.operations, "operation", "select the operation with this operationId (repeatable)")
	fs.Var(&s.paths, "path", "select the operations whose path template matches this glob, e.g. '/deviceManagement/remoteAssistancePartners/*/*' (repeatable)")
	fs.Var(&s.tags, "tag", "select the operations with this tag (repeatable)")
}

// selector is the selection; the zero value when no flag was given.
func (s *selectFlags) selector() spec.Selector {
	return spec.Selector{OperationIDs: s.operations, Paths: s.paths, Tags: s.tags}
}

func (s *selectFlags) given() bool { return len(s.operations)+len(s.paths)+len(s.tags) > 0 }

// selectList is a repeatable flag split by spec.SplitList.
type selectList []string

func (l *selectList) String() string { return strings.Join(*l, ",") }

func (l *selectList) Set(v string) error {
	items := spec.SplitList(v)
	if len(items) == 0 {
		return fmt.Errorf("empty value")
	}
	*l = append(*l, items...)
	return nil
}
