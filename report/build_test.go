package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Every report names the build that ran, and a merge refuses shards of two commits.
func TestBuildInEveryReport(t *testing.T) {
	r := fixture()
	r.Build = Build{Module: "v0.0.0-20261201094750-59f5e92e0eab+dirty", Commit: "59f5e92e0eabc2ec85ecdeec3ebac8ec058364c9",
		CommitTime: "2026-12-01T09:47:50Z", Modified: true}

	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var doc struct{ Build Build }
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc.Build != r.Build {
		t.Errorf("report.json build = %+v (%v), want %+v", doc.Build, err, r.Build)
	}
	back, err := ReadJSON(bytes.NewReader(js.Bytes()))
	if err != nil || back.Build != r.Build {
		t.Errorf("ReadJSON: build %+v (%v), want %+v", back.Build, err, r.Build)
	}

	var ju bytes.Buffer
	if err := WriteJUnit(&ju, r); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{`name="moduleVersion" value="` + r.Build.Module + `"`, `name="commit" value="` + r.Build.Commit + `"`,
		`name="commitTime" value="` + r.Build.CommitTime + `"`, `name="modified" value="true"`} {
		if !strings.Contains(ju.String(), p) {
			t.Errorf("junit.xml has no property %s", p)
		}
	}

	var h bytes.Buffer
	if err := WriteHTML(&h, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), "commit "+r.Build.Commit+" "+r.Build.CommitTime+" modified") {
		t.Error("report.html does not show the build's commit, time and modified flag")
	}

	other := r
	other.Shard, r.Shard = "2/2", "1/2"
	other.Build.Commit = "0123456789abcdef0123456789abcdef01234567"
	if _, err := Merge(r, other); err == nil || !strings.Contains(err.Error(), "suite commit") {
		t.Errorf("merging shards of two commits: %v, want a refusal naming the suite commit", err)
	}
}

func TestBuildString(t *testing.T) {
	for _, tc := range []struct {
		b    Build
		want string
	}{
		{Build{}, "(unknown)"},
		{Build{Module: "v0.1.0"}, "v0.1.0"},
		{Build{Module: "(devel)", Commit: "abc", CommitTime: "2026-12-01T09:47:50Z"}, "(devel) commit abc 2026-12-01T09:47:50Z"},
		{Build{Module: "(devel)", Commit: "abc", Modified: true}, "(devel) commit abc modified"},
	} {
		if got := tc.b.String(); got != tc.want {
			t.Errorf("%+v.String() = %q, want %q", tc.b, got, tc.want)
		}
	}
}
