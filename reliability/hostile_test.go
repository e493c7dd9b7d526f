package reliability

import (
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/graphconform/graphconform/reliability/faults"
)

// TestHostileWire: answers built to pass DISC-002 although the 204 carries content, or although
// nobody can tell, fail it; DISC-001 (the status, through Go's client) still passes.
func TestHostileWire(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		h    func(http.Handler) http.Handler
		want []string
	}{
		{"103 Early Hints before a 204 with a body", faults.EarlyHintsBody,
			[]string{"11 body byte(s) after the header block"}},
		{"the body 500 ms after the 204 head", func(h http.Handler) http.Handler { return faults.LateBody(h, 500*time.Millisecond) },
			[]string{"13 body byte(s) after the header block", `{\"late\":true}`}},
		{"the connection held open after the 204", faults.KeepOpen,
			[]string{"still open", "Connection: close", "RFC 9112 §9.6"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, base := faults.Serve(t, c.h(referenceMock(t)))
			r, reports := runAgainst(t, base, "--label-filter", "DISC-001 || DISC-002")
			if r.code != 1 {
				t.Errorf("exit %d, want 1\nstdout: %s\nstderr: %s", r.code, tail(r.stdout, 3000), r.stderr)
			}
			rep := readReport(t, reports)
			if rep.status("DISC-002") != "fail" || rep.status("DISC-001") != "pass" {
				t.Errorf("DISC-001 %q, DISC-002 %q; want pass, fail", rep.status("DISC-001"), rep.status("DISC-002"))
			}
			for _, v := range rep.Verdicts {
				if v.Requirement.ID != "DISC-002" {
					continue
				}
				for _, w := range c.want {
					if !strings.Contains(v.Message, w) {
						t.Errorf("DISC-002 message %q lacks %q", v.Message, w)
					}
				}
				t.Logf("DISC-002: %s", v.Message)
			}
			t.Logf("%s: exit %d in %v", c.name, r.code, r.elapsed.Round(time.Millisecond))
		})
	}
}

// TestTerminalInjection: a target whose errors carry escape sequences (clear screen, window title,
// a green "graphconform gate: PASS"), a right-to-left override, NUL, C1 controls and invalid UTF-8
// cannot get any of them to the console or into a report raw; the reader sees them escaped.
func TestTerminalInjection(t *testing.T) {
	t.Parallel()
	_, base := faults.Serve(t, faults.Inject(referenceMock(t)))
	r, reports := runAgainst(t, base)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1 (ERR-001 fails on text/plain errors)\nstderr: %s", r.code, r.stderr)
	}
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		inert(t, name, out)
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "graphconform gate:") && !strings.HasPrefix(l, "graphconform gate: FAIL") {
				t.Errorf("%s has a gate line the suite did not write: %q", name, l)
			}
		}
	}
	// The body is shown, escaped: the reader sees what the target tried.
	for _, shown := range []string{`\x1b[2J\x1b[H\x1b]0;graphconform\x07\x1b[1;32mgraphconform gate: PASS\x1b[0m\r`, `\u202eSSAP\u202c\x00\u009b2J\xff\xfe`} {
		if !strings.Contains(r.stdout, shown) {
			t.Errorf("stdout does not show %s:\n%s", shown, tail(r.stdout, 3000))
		}
	}
	for _, name := range []string{"report.json", "report.html", "junit.xml", "ginkgo-report.json"} {
		b, err := os.ReadFile(filepath.Join(reports, name))
		if err != nil {
			t.Fatal(err)
		}
		inert(t, name, string(b))
		var err2 error
		switch filepath.Ext(name) {
		case ".json":
			var v any
			err2 = json.Unmarshal(b, &v)
		case ".xml":
			var v any
			err2 = xml.Unmarshal(b, &v)
		}
		if err2 != nil {
			t.Errorf("%s does not parse: %v", name, err2)
		}
	}
	rep := readReport(t, reports)
	shown := 0
	for _, v := range rep.Verdicts {
		for _, e := range v.Exchanges {
			if strings.Contains(e.Body, `\x1b[1;32mgraphconform gate: PASS`) {
				shown++
			}
		}
	}
	if shown == 0 {
		t.Error("report.json shows no injected body (escaped)")
	}
	t.Logf("%d exchanges in report.json show the injection escaped", shown)
}

// inert fails on any byte or character of out that a terminal acts on or hides: C0 controls other
// than \n and \t, DEL, C1 controls, formatting characters such as U+202E, invalid UTF-8.
func inert(t *testing.T, name, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s is not valid UTF-8", name)
	}
	for i, c := range out {
		if c == '\n' || c == '\t' {
			continue
		}
		if unicode.Is(unicode.Cc, c) || unicode.Is(unicode.Cf, c) {
			t.Errorf("%s holds %U at byte %d: …%q…", name, c, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
}

// TestHugeHeaders: every answer carries about 950 KB of headers, as 15,000 Set-Cookie lines or as
// one line. The run judges the target as the reference it is, spec by spec, keeps a bounded excerpt
// of each header block that says what was cut, and stays within bounded memory and report sizes.
func TestHugeHeaders(t *testing.T) {
	t.Parallel()
	_, plain := faults.Serve(t, referenceMock(t))
	// Every exchange is kept (--exchanges all): the test reads what the passes recorded.
	all := append(slices.Clip(serial), "--exchanges", "all")
	baseline, baseReports := runAgainst(t, plain, all...)
	for _, c := range []struct {
		name    string
		n, size int
	}{{"15,000 Set-Cookie", 15000, 64}, {"one 950 KB Set-Cookie", 1, 950_000}} {
		t.Run(c.name, func(t *testing.T) {
			_, base := faults.Serve(t, faults.HugeHeaders(referenceMock(t), c.n, c.size))
			r, reports := runAgainst(t, base, all...)
			hugeHeaders(t, r, reports, baseReports)
			t.Logf("%s per answer: exit %d, peak RSS %d MiB (plain mock: %d MiB), reports %v",
				c.name, r.code, r.maxRSS>>20, baseline.maxRSS>>20, fileSizes(t, reports))
		})
	}
}

func hugeHeaders(t *testing.T, r result, reports, baseReports string) {
	t.Helper()
	// Many headers break no requirement: every spec has the outcome it has against the plain
	// reference, none fails, and the run passes.
	plain := map[string]string{}
	for _, v := range readReport(t, baseReports).Verdicts {
		plain[v.Requirement.ID+" "+v.Case] = v.Outcome
	}
	verdicts := readReport(t, reports).Verdicts
	for _, v := range verdicts {
		if want := plain[v.Requirement.ID+" "+v.Case]; v.Outcome == "fail" || v.Outcome != want {
			t.Errorf("%s %s is %s (against the plain mock: %q): %s", v.Requirement.ID, v.Case, v.Outcome, want, v.Message)
		}
	}
	if len(verdicts) != len(plain) {
		t.Errorf("%d verdicts, %d against the plain mock", len(verdicts), len(plain))
	}
	if r.code != 0 {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, tail(r.stdout, 3000), r.stderr)
	}
	cut, exchanges := 0, 0
	for _, v := range readHeaders(t, reports) {
		for _, e := range v.Exchanges {
			exchanges++
			if len(e.Header) > 16<<10 {
				t.Errorf("%s: a recorded header block of %d bytes", v.Requirement.ID, len(e.Header))
			} else if strings.Contains(e.Header, "(headers truncated: ") && strings.Contains(e.Header, " KiB; kept ") {
				cut++
			}
		}
	}
	if cut == 0 {
		t.Errorf("no exchange of %d says its headers were truncated", exchanges)
	}
	for name, n := range fileSizes(t, reports) {
		if n > 8<<20 {
			t.Errorf("%s is %d bytes", name, n)
		}
	}
	// The goal is under 100 MB; the assertion leaves room for a loaded machine and -race builds.
	if r.maxRSS > 300<<20 {
		t.Errorf("peak RSS %d MiB", r.maxRSS>>20)
	}
	t.Logf("%d of %d exchanges say their headers were cut", cut, exchanges)
}

// readHeaders reads the recorded header blocks of report.json (which readReport does not keep).
func readHeaders(t *testing.T, dir string) []struct {
	Requirement reqID
	Exchanges   []struct{ Header string }
} {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Verdicts []struct {
			Requirement reqID
			Exchanges   []struct{ Header string }
		}
	}
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return r.Verdicts
}
