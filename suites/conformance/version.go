package conformance

import (
	"runtime/debug"

	"github.com/graphconform/graphconform/report"
)

// Build is the running binary's identity: the module version and the commit the go command stamped
// into it. Every report carries it next to Version, so runs of two commits can be told apart.
func Build() report.Build {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return report.Build{Module: "(unknown)"}
	}
	return buildOf(bi)
}

// buildOf reads the fields the go command sets: Main.Version and the vcs.* settings (absent under
// -buildvcs=false and in go install ...@version, which builds from a module zip).
func buildOf(bi *debug.BuildInfo) report.Build {
	b := report.Build{Module: bi.Main.Version}
	if b.Module == "" {
		b.Module = "(devel)" // a test binary: the go command stamps no main module version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Commit = s.Value
		case "vcs.time":
			b.CommitTime = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		}
	}
	return b
}
