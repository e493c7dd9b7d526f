package conformance

import (
	"runtime/debug"
	"testing"

	"github.com/graphconform/graphconform/report"
)

func TestBuildOf(t *testing.T) {
	for _, tc := range []struct {
		name string
		bi   debug.BuildInfo
		want report.Build
	}{
		{"a test binary", debug.BuildInfo{}, report.Build{Module: "(devel)"}},
		{"go install @version", debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}}, report.Build{Module: "v0.1.0"}},
		{"a modified checkout", debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: "59f5e92"}, {Key: "vcs.time", Value: "2026-12-01T09:47:50Z"},
			{Key: "vcs.modified", Value: "true"}}},
			report.Build{Module: "(devel)", Commit: "59f5e92", CommitTime: "2026-12-01T09:47:50Z", Modified: true}},
		{"a clean checkout", debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201094750-59f5e92e0eab"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "59f5e92"}, {Key: "vcs.modified", Value: "false"}}},
			report.Build{Module: "v0.0.0-20261201094750-59f5e92e0eab", Commit: "59f5e92"}},
	} {
		if got := buildOf(&tc.bi); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
