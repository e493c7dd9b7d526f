package reliability

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
	"github.com/graphconform/graphconform/reliability/faults"
	"github.com/graphconform/graphconform/report"
)

// The leak scan is the oracle for "no secret in any output": it is written apart from package
// redact (it encodes with the standard library and decodes the text it reads) so that a form the
// redactor misses is not missed here too.

// pieceLen is the shortest run of a secret the scan reports: every 8-byte piece of a secret is a
// leak, in the text as written or once the text is decoded (JSON escapes, HTML entities,
// percent-encoding) and compared without case.
const pieceLen = 8

// leakScan holds the secrets of a run and what each looks like in an output.
type leakScan struct {
	exact map[string]string // every whole encoded form -> what it is
	// pieces are every pieceLen-byte piece of each secret (lower-cased), and of each secret's
	// base64 and hex forms (as many characters as encode pieceLen bytes), by length.
	pieces  map[int]map[string]string
	folded  map[int]bool // piece lengths compared without case
	secrets int
}

func newLeakScan() *leakScan {
	return &leakScan{exact: map[string]string{}, pieces: map[int]map[string]string{}, folded: map[int]bool{}}
}

// add registers a secret under a name for the failure messages.
func (l *leakScan) add(name, secret string) {
	if len(secret) < pieceLen {
		panic("leakScan: secret " + name + " is shorter than a piece")
	}
	l.secrets++
	for form, v := range encodings(secret) {
		l.exact[v] = name + " (" + form + ")"
	}
	l.addPieces(name, strings.ToLower(secret), pieceLen, true)
	l.addPieces(name+" (hex)", hex.EncodeToString([]byte(secret)), 2*pieceLen, true)
	// base64 of the secret at each of the three offsets it can start at inside a longer value
	// (Basic credentials, a token after "Bearer "), in both alphabets: the characters that depend
	// on the secret alone.
	for k := range 3 {
		enc := base64.StdEncoding.EncodeToString(append(make([]byte, k), secret...))
		first, last := (8*k+5)/6, 8*(k+len(secret))/6
		core := enc[first:last]
		n := (8*pieceLen + 5) / 6
		l.addPieces(fmt.Sprintf("%s (base64 at offset %d)", name, k), core, n, false)
		l.addPieces(fmt.Sprintf("%s (base64url at offset %d)", name, k), strings.NewReplacer("+", "-", "/", "_").Replace(core), n, false)
	}
}

func (l *leakScan) addPieces(name, s string, n int, fold bool) {
	if l.pieces[n] == nil {
		l.pieces[n] = map[string]string{}
	}
	l.folded[n] = fold
	for i := 0; i+n <= len(s); i++ {
		l.pieces[n][s[i:i+n]] = name
	}
}

// encodings are the whole reversible forms of a secret the scan looks for as written.
func encodings(s string) map[string]string {
	b := []byte(s)
	var jl, ju, ed, ex, exu strings.Builder
	for _, r := range s {
		fmt.Fprintf(&jl, `\u%04x`, r)
		fmt.Fprintf(&ju, `\u%04X`, r)
		fmt.Fprintf(&ed, "&#%d;", r)
		fmt.Fprintf(&ex, "&#x%x;", r)
		fmt.Fprintf(&exu, "&#x%X;", r)
	}
	js, _ := json.Marshal(s)
	return map[string]string{
		"as is": s, "upper-cased": strings.ToUpper(s), "lower-cased": strings.ToLower(s),
		"query-escaped": url.QueryEscape(s), "path-escaped": url.PathEscape(s),
		"base64": base64.StdEncoding.EncodeToString(b), "base64 raw": base64.RawStdEncoding.EncodeToString(b),
		"base64url": base64.URLEncoding.EncodeToString(b), "base64url raw": base64.RawURLEncoding.EncodeToString(b),
		"JSON-quoted": strings.Trim(string(js), `"`), "JSON \\u escapes": jl.String(), "JSON \\U escapes": ju.String(),
		"HTML-escaped": html.EscapeString(s), "HTML decimal entities": ed.String(), "HTML hex entities": ex.String(),
		"HTML HEX entities": exu.String(), "hex": hex.EncodeToString(b), "HEX": strings.ToUpper(hex.EncodeToString(b)),
	}
}

var (
	jsonEscape    = regexp.MustCompile(`\\u([0-9a-fA-F]{4})|\\(["\\/])`)
	percentEscape = regexp.MustCompile(`%([0-9a-fA-F]{2})`)
)

// views are the text as written and decoded each way a target could have encoded a secret.
func views(text string) map[string]string {
	return map[string]string{
		"": text,
		" (JSON-decoded)": jsonEscape.ReplaceAllStringFunc(text, func(m string) string {
			if m[1] != 'u' {
				return m[1:]
			}
			n, _ := strconv.ParseUint(m[2:], 16, 32)
			return string(rune(n))
		}),
		" (HTML-decoded)": html.UnescapeString(text),
		" (percent-decoded)": percentEscape.ReplaceAllStringFunc(strings.ReplaceAll(text, "+", " "), func(m string) string {
			n, _ := strconv.ParseUint(m[1:], 16, 8)
			return string([]byte{byte(n)})
		}),
	}
}

// finding is one leak: where, what, and the text around it.
type finding struct{ where, what, context string }

// find returns every leak in text (one per secret form and view, at its first place).
func (l *leakScan) find(where, text string) []finding {
	var out []finding
	seen := map[string]bool{}
	report := func(what, view string, i, n int, text string) {
		if key := what + view; !seen[key] {
			seen[key] = true
			out = append(out, finding{where + view, what, text[max(0, i-40):min(len(text), i+n+20)]})
		}
	}
	for v, what := range l.exact {
		if i := strings.Index(text, v); i >= 0 {
			report(what, "", i, len(v), text)
		}
	}
	for view, vt := range views(text) {
		if view != "" && vt == text {
			continue
		}
		lower := strings.ToLower(vt)
		for n, set := range l.pieces {
			s := vt
			if l.folded[n] {
				s = lower
			}
			for i := 0; i+n <= len(s); i++ {
				if what, ok := set[s[i:i+n]]; ok {
					report("a piece of "+what, view, i, n, vt)
				}
			}
		}
	}
	if m := jwtShaped.FindStringIndex(text); m != nil {
		report("a JWT", "", m[0], m[1]-m[0], text)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].where+out[i].what < out[j].where+out[j].what })
	return out
}

// scan fails the test for every leak in text and returns how many bytes it read.
func (l *leakScan) scan(t *testing.T, where, text string) int {
	t.Helper()
	for _, f := range l.find(where, text) {
		t.Errorf("%s leaks %s: …%q…", f.where, f.what, f.context)
	}
	return len(text)
}

// scanDir scans every file under dir and returns the files and bytes read.
func (l *leakScan) scanDir(t *testing.T, dir string) (files, bytes int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		bytes += l.scan(t, filepath.Base(p), string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files, bytes
}

// TestLeakScanFindsEveryForm: the scan is only worth its silence if it finds each form of a secret,
// each piece, and each piece of each encoded form, in every view; and stays silent on text that
// quotes none of them.
func TestLeakScanFindsEveryForm(t *testing.T) {
	t.Parallel()
	const secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJsZWFrLXNjYW4ifQ.c2lnbmF0dXJlLW9mLXRoZS10ZXN0"
	l := newLeakScan()
	l.add("the token", secret)
	for form, v := range encodings(secret) {
		if f := l.find("t", "x "+v+" y"); len(f) == 0 {
			t.Errorf("the %s form is not found", form)
		}
	}
	tampered := secret[:60] + "A" + secret[61:]
	for name, text := range map[string]string{
		"a prefix":                    "token " + secret[:8],
		"a middle piece":              "…" + secret[30:38] + "…",
		"a tampered copy":             tampered,
		"a tampered copy, base64":     base64.StdEncoding.EncodeToString([]byte("Bearer " + tampered)),
		"a tampered copy, \\u":        encodings(tampered)["JSON \\u escapes"][:6*20],
		"a tampered copy, hex prefix": hex.EncodeToString([]byte(tampered))[:16],
		"a percent-encoded prefix":    url.QueryEscape("Bearer " + secret)[:20],
		"an HTML-escaped prefix":      encodings(secret)["HTML decimal entities"][:60],
		"a mixed-case piece":          "EyJhBgCiOi",
	} {
		if f := l.find("t", text); len(f) == 0 {
			t.Errorf("%s is not found: %q", name, text)
		}
	}
	if f := l.find("t", `{"error":{"code":"InvalidAuthenticationToken","message":"token <redacted> is invalid"}} request-id 6f1c2d3e-0000-4000-8000-000000000000`); len(f) > 0 {
		t.Errorf("ordinary text reported: %v", f)
	}
}

// TestEchoTargetLeaksNothing runs the whole suite through the binary against a target that hands
// every credential back in every encoding (faults.Echo: headers, error messages, the body after a
// 204, a tampered token split across two writes 200 ms apart), with literal tokens and a
// client-credentials persona, and scans every byte the run wrote for each secret: the tokens, the
// tokens the suite derives from them (AUTH-001's tampered token is made of pieces of the admin
// token, so the pieces find it), the fetched token and the client secret.
func TestEchoTargetLeaksNothing(t *testing.T) {
	t.Parallel()
	l := newLeakScan()
	// Characters that each encoding writes differently, and no word: every 8-byte piece is a leak.
	clientSecret := "Gq+Zx7/" + hex.EncodeToString([]byte(t.Name()))[:24] + "=&x y~"
	l.add("the client secret", clientSecret)
	literal, app, fetched := l.fixturePersonas(t)
	var used atomic.Int64
	tokenURL := faults.EchoTokenEndpoint(t, "graphconform-client", clientSecret, fetched, func() { used.Add(1) })
	_, base := faults.Serve(t, faults.Echo(referenceMock(t)))

	dir := t.TempDir()
	appLine := fmt.Sprintf("  - {name: app, account: application, permissions: [%s], clientCredentials: {clientId: graphconform-client, clientSecret: '%s', tokenURL: %q}}\n",
		strings.Join(app.Permissions, ", "), clientSecret, tokenURL)
	cfg := write(t, dir, "graphconform.yaml", target(base, "timeout: 5s")+"personas:\n"+literal+appLine)
	r, reports, read := l.runAndScan(t, dir, cfg, "the echo breaks AUTH-001 and DISC-002", &used)
	// The leaks the scan stands guard over were offered: the tampered token was echoed, split, and
	// quoted after a 204, and its failure reached the console.
	rep := string(must(os.ReadFile(filepath.Join(reports, "report.json"))))
	for _, want := range []string{"X-Echo-Split: <redacted>", "token <redacted> is invalid", "X-Echo-Hex: <redacted>",
		"body byte(s) after the header block", "expected error.code to be a string"} {
		if !strings.Contains(rep, want) {
			t.Errorf("report.json lacks %q: the leak it stands for was not exercised", want)
		}
	}
	if !strings.Contains(r.stdout, "a token with a tampered signature is refused with 401") || !strings.Contains(r.stdout, "X-Echo-Split") {
		t.Errorf("the tampered token's failure did not reach stdout:\n%s", tail(r.stdout, 3000))
	}
	t.Logf("binary: %d secrets, %d bytes scanned, none found", l.secrets, read)

	// A token endpoint that refuses and quotes the secret, decoded and URL-encoded, across the
	// 300-byte cut of the error line: exit 2, one line, no secret.
	bad := write(t, dir, "bad-secret.yaml", strings.Replace(string(must(os.ReadFile(cfg))), "clientId: graphconform-client", "clientId: someone-else", 1))
	r = run(t, dir, "run", "--config", bad)
	if r.code != 2 {
		t.Errorf("refused token request: exit %d, want 2\n%s", r.code, r.stderr)
	}
	r.wantOneLine(t, "clientCredentials", "invalid_client")
	t.Logf("refused token request: %s", strings.TrimSpace(r.stderr))
	l.scan(t, "stderr of a refused token request", r.stderr)

	goTestScan(t, l, cfg)
}

// runAndScan runs the suite through the binary with cfg and reports in dir/reports, wants exit 1
// (why says what breaks) and the token endpoint used, and scans stdout, stderr and every report.
// It returns the run, the report directory and the bytes scanned.
func (l *leakScan) runAndScan(t *testing.T, dir, cfg, why string, tokenFetches *atomic.Int64) (result, string, int) {
	t.Helper()
	reports := filepath.Join(dir, "reports")
	// --exchanges all: every exchange a report can hold is in it, so every one is scanned.
	r := run(t, dir, "run", "--config", cfg, "--report-dir", reports, "--exchanges", "all", "-v")
	if r.code != 1 || tokenFetches.Load() == 0 {
		t.Fatalf("exit %d (want 1: %s), %d token fetches\n%s\n%s", r.code, why, tokenFetches.Load(), tail(r.stdout, 3000), r.stderr)
	}
	read := l.scan(t, "stdout", r.stdout) + l.scan(t, "stderr", r.stderr)
	if err := report.ValidateFile(filepath.Join(reports, "report.json")); err != nil {
		t.Errorf("report.json does not match its schema: %v", err)
	}
	files, n := l.scanDir(t, reports)
	if files < 4 {
		t.Errorf("only %d report files", files)
	}
	return r, reports, read + n
}

// fixturePersonas registers the fixture personas' tokens but app's and returns them as literal
// personas: lines; app, which the caller gives a clientCredentials line; and app's token, which
// only the token endpoint is to know (registered too).
func (l *leakScan) fixturePersonas(t *testing.T) (literal string, app persona.Persona, fetched string) {
	var b strings.Builder
	for _, p := range personas(t) {
		if p.Name == "app" {
			app = p
			continue
		}
		l.add("the token of "+p.Name, p.Token)
		fmt.Fprintf(&b, "  - {name: %s, account: %s, permissions: [%s], token: %s}\n", p.Name, p.Account, strings.Join(p.Permissions, ", "), p.Token)
	}
	fetched = fetchedToken(t, app)
	l.add("the fetched app token", fetched)
	return b.String(), app, fetched
}

// fetchedToken mints a token for p that is in no file: only the token endpoint knows it.
func fetchedToken(t *testing.T, p persona.Persona) string {
	t.Helper()
	fetched, err := token.MintSet(persona.Set{p}, 90*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	return fetched[0].Token
}
