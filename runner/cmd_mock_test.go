package runner

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/graphconform/graphconform/fixtures/token"
	"github.com/graphconform/graphconform/persona"
)

const graphData = "../../shared/graph-data/"

// gzipCopy writes a gzip-compressed copy of a file into a temporary directory.
func gzipCopy(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("shared Graph data missing: %v", err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	return writeFile(t, filepath.Base(src)+".gz", b.String())
}

// graphconform mock --spec serves the description's own paths, with permissions.json's tables,
// selected by --path.
func TestMockSpec(t *testing.T) {
	desc := gzipCopy(t, graphData+"msgraph-openapi-remoteassistancepartners-v1.0.yaml")
	perms := "../permissions/testdata/graph-permissions-remoteassistancepartners.json" // Microsoft's, cut to the area
	cfg, stop := startMock(t, "--spec", desc, "--permissions", perms, "--path", "/deviceManagement/remoteAssistancePartners/*/disconnect")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base := regexp.MustCompile(`baseURL: (\S+)`).FindStringSubmatch(string(b))[1]
	admin, _ := persona.Fixture().Lookup("admin")
	raw, err := token.Fixture().Mint(token.Fixture().ForPersona(admin, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	call := func(method, path, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+raw)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}
	code, body := call("POST", "/deviceManagement/remoteAssistancePartners", `{"displayName":"x"}`)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	id := regexp.MustCompile(`"id":"([^"]+)"`).FindStringSubmatch(body)[1]
	if code, body = call("POST", "/deviceManagement/remoteAssistancePartners/"+id+"/microsoft.graph.disconnect", ""); code != 204 {
		t.Errorf("disconnect: %d %s", code, body)
	}
	// beginOnboarding is not selected: its segment is unknown
	if code, body = call("POST", "/deviceManagement/remoteAssistancePartners/"+id+"/beginOnboarding", ""); code != 400 || !strings.Contains(body, "beginOnboarding") {
		t.Errorf("unselected action: %d %s", code, body)
	}
	r := stop()
	if r.code != 0 || !strings.Contains(r.stderr, "serving the mock of ") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}

func TestMockSpecErrors(t *testing.T) {
	const shipped = "../spec/openapi/disconnect.yaml"
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"mock", "--permissions", "p.json"}, exitUsage, "need --spec"},
		{[]string{"mock", "--spec", "/nonexistent.yaml"}, exitConfig, "--spec"},
		{[]string{"mock", "--spec", shipped, "--operation", "no.such.op"}, exitConfig, "selection keeps none"},
		{[]string{"mock", "--spec", shipped, "--key", "novalue"}, exitConfig, "--key"},
		{[]string{"mock", "--spec", shipped, "--permissions", shipped}, exitConfig, "permissions.json"},
	} {
		r := inProcess(c.args...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) || strings.Count(strings.TrimSpace(r.stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q on one line", c.args, r.code, r.stderr, c.code, c.want)
		}
	}
}
